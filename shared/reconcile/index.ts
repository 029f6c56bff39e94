/** The reconciler: finds stale work in the pipeline's records and sends it again (see `Reconciler`). */
export { Reconciler, defaultReconcileOptions } from './reconciler';
export type { ReconcileOptions, ReconcileReport } from './reconciler';
export { buildRequestOfItem, reconcileMessageId } from './build-request-of-item';
export type * from './ports';
export { instanceCheckpoints } from './checkpoint';
export type { ReconcileCheckpoint, ReconcileCheckpoints } from './checkpoint';
export { ScanBudget } from './scan-budget';
export type { ScanLimits, ScanStop } from './scan-budget';
export { OpenWave } from './open-wave';
export type { ItemVerdict, OpenWaveState } from './open-wave';

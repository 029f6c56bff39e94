/**
 * The datagrepper catch-up, pure part: windows, planning, checkpoint, completeness and dedupe. No I/O here;
 * the HTTP client and checkpoint store are in infra/fedora.
 */
export { advanceCheckpoint, checkpointAt } from './checkpoint';
export type { Checkpoint, CheckpointPort, CommitResult, StoredCheckpoint } from './checkpoint';
export { batches, freshRows } from './dedupe';
export { catchUpOptionsSchema, resolveCatchUpOptions } from './options';
export type { CatchUpOptions, CatchUpSettings } from './options';
export { planCatchUp } from './plan';
export type { CatchUpPlan, PlanSettings } from './plan';
export { describeWindow, isoSecond, spanOf, splitWindow, tileWindows, timeWindow } from './time-window';
export type { TimeWindow } from './time-window';
export { compareRows, WindowRows } from './window-rows';
export type { CatchUpRow } from './window-rows';
export type { DatagrepperSearch, SearchPage, SearchQuery, SearchResult } from './history-search';
export { runCatchUp } from './run-catch-up';
export type { CatchUpDependencies } from './run-catch-up';
export { emptyTally } from './result';
export type { CatchUpEnd, CatchUpResult, CatchUpTally } from './result';
export { readWindow } from './window-reader';
export type { WindowRead } from './window-reader';

/** The plan function's domain: pending events, planning passes, plan records and build requests. */
export { PlanningService } from './planning-service';
export type { PlanningDeps } from './planning-service';
export { buildRequestOf, buildRequestsOf, firstWaveOf, planIdOf, planRecordOf } from './plan-record';
export type { PlannedUpstream, PlanRecord } from './plan-record';
export { heldMessageIds } from './held-events';
export type * from './ports';
export { holdOnly } from './hold-only';
export { burstDecision } from './burst-hold';
export type { BurstDecision, BurstPolicy, PendingArrivals } from './burst-hold';
export { planWithStateOnDemand } from './state-on-demand';
export type { ComponentStateReader, PlanOnDemand } from './state-on-demand';

import type { DependencyView, PlannerState } from '../../shared/planner';

/**
 * The planner state of a pipeline that has already followed every one of `names` once: each locked at its
 * upstream build with the provides the index gives now. Against it, an update that changes no provides closes
 * the ABI gate (no dependents), which is what makes the burst's 2,000 updates independent; on a fresh state
 * (no locks, no evidence either way) every update with dependents rebuilds them.
 */
export function settledState(names: readonly string[], view: DependencyView): PlannerState {
  const components: Record<string, { lock: { messageId: string; provides: readonly string[] } }> = {};
  for (const name of names)
    components[name] = { lock: { messageId: 'scale-fixture:settled', provides: view.providesOf(name) } };
  return { components, plannedMessageIds: new Set() };
}

import type { BuildRequest } from '../build/build-request';
import type { BuildState } from '../build/build-state';

/**
 * The rule for a failed component in an earlier wave (issue 20, item 6): its dependents in later waves are
 * not built; each ends `cancelled` with the reason `dependency-failed: <component> <buildId>`, naming the
 * failure at the root of the chain. Why skip rather than build anyway: a dependent is in the plan because a
 * component on its rebuild path changed (its reasons' `path`); with that component failed, the repository
 * still holds its old build, so the dependent would be built against the very thing the rebuild was meant to
 * replace, its result would claim a rebuild that did not happen, and the fix (a new upstream build of the
 * failed component) plans it again anyway. This is what OBS does (dependents of a failure are "blocked", not
 * built) and what a Koji chain build does (the chain stops); release engineers read the skipped set as "what
 * the fix will rebuild". Components of earlier waves that are not on the dependent's path only order it:
 * their failure is a final state like any other, so no wave waits on a wave that cannot finish.
 */
export const DEPENDENCY_FAILED = 'dependency-failed';

/** States of a path dependency that mean its change did not land: the dependent is skipped. */
const NOT_LANDED: ReadonlySet<BuildState> = new Set(['failed', 'overlay-drift', 'cancelled']);

/** A path dependency's build as the gate sees it. */
export interface DependencyOutcome {
  readonly component: string;
  readonly buildId: string;
  readonly state: BuildState;
  /** The recorded failure; a skipped dependency's message names the root failure. */
  readonly error?: { readonly code: string; readonly message: string };
}

export type WaveGateDecision =
  | { readonly kind: 'go' }
  | { readonly kind: 'wait'; readonly on: readonly string[] }
  | { readonly kind: 'skip'; readonly reason: string };

/**
 * The planned components whose change the request's build depends on: every `from` of every reason's path
 * (the changed component and the dependents between it and this one), without the component itself. Sorted.
 */
export function pathDependencies(request: Pick<BuildRequest, 'component' | 'reasons'>): string[] {
  const names = new Set<string>();
  for (const reason of request.reasons)
    for (const hop of reason.path ?? []) if (hop.from !== request.component) names.add(hop.from);
  return [...names].sort();
}

/**
 * Whether a build of a later wave goes, waits or is skipped. It waits while any earlier-wave item is
 * unfinished (the waves' order); once they are all final, a failed path dependency skips it, else it goes.
 * The skip is decided when its turn comes rather than at once: it costs the path's reads once per build, not
 * on every re-check, and the wave could not have finished sooner anyway.
 */
export function decideWaveGate(
  unfinishedEarlier: readonly string[],
  dependencies: readonly DependencyOutcome[],
): WaveGateDecision {
  if (unfinishedEarlier.length > 0) return { kind: 'wait', on: unfinishedEarlier };
  const failed = [...dependencies]
    .filter((d) => NOT_LANDED.has(d.state))
    .sort((a, b) => (a.component < b.component ? -1 : a.component > b.component ? 1 : 0))[0];
  if (failed) return { kind: 'skip', reason: dependencyFailedReason(failed) };
  return { kind: 'go' };
}

/** `dependency-failed: glibc glibc@3f2a9c01d4e5b6a7`, or the root failure a skipped dependency names. */
function dependencyFailedReason(failed: DependencyOutcome): string {
  const inherited = failed.error?.message;
  if (failed.error?.code === 'build.dependency-failed' && inherited?.startsWith(`${DEPENDENCY_FAILED}: `))
    return inherited;
  return `${DEPENDENCY_FAILED}: ${failed.component} ${failed.buildId}`;
}

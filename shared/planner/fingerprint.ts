import { hash } from 'node:crypto';
import type { ComponentLock } from './types';

/**
 * The fingerprint a planned build records: the component's tree fingerprint plus what it builds from
 * upstream (its lock) plus, for a dependent, the changed build dependencies. The tree fingerprint alone does
 * not change when a head- or snapshot-following component's upstream moves, so the lock must be part of it;
 * an event that names the build already built gives the same value and is skipped `unchanged`.
 * One-shot `hash` (a root package's plan computes one per component of the distribution): the same digest as
 * `createHash`, without a Hash object per call.
 */
export function plannedFingerprint(
  treeFingerprint: string,
  lock: ComponentLock | undefined,
  buildroot: readonly string[] = [],
): string {
  return fingerprintWith(treeFingerprint, lock, buildrootSuffix(buildroot));
}

/**
 * The part of the hashed text that `buildroot` adds, worked out once for the many dependents of a change:
 * its lines, and the whole text after the tree fingerprint for a component with no lock (so that text is
 * one concatenation per dependent, which `hash` flattens cheaply).
 */
export interface BuildrootSuffix {
  readonly lines: string;
  readonly unlockedTail: string;
}

export function buildrootSuffix(buildroot: readonly string[]): BuildrootSuffix {
  const lines = [...buildroot]
    .sort()
    .map((build) => `\n${build}`)
    .join('');
  return { lines, unlockedTail: `\n\n${lines}` };
}

/** `plannedFingerprint` with the buildroot's `buildrootSuffix`: the lines tree, nvr, commit, builds. */
export function fingerprintWith(
  treeFingerprint: string,
  lock: ComponentLock | undefined,
  suffix: BuildrootSuffix,
): string {
  const tail =
    lock === undefined ? suffix.unlockedTail : `\n${lock.nvr ?? ''}\n${lock.commit ?? ''}${suffix.lines}`;
  return `sha256:${hash('sha256', treeFingerprint + tail, 'hex')}`;
}

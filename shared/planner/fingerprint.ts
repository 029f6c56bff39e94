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

/** The part of the hashed text that `buildroot` adds, worked out once for the many dependents of a change. */
export function buildrootSuffix(buildroot: readonly string[]): string {
  return [...buildroot]
    .sort()
    .map((build) => `\n${build}`)
    .join('');
}

/** `plannedFingerprint` with the buildroot's `buildrootSuffix`: the lines tree, nvr, commit, builds. */
export function fingerprintWith(
  treeFingerprint: string,
  lock: ComponentLock | undefined,
  suffix: string,
): string {
  const tail =
    lock === undefined ? unlockedTail(suffix) : `\n${lock.nvr ?? ''}\n${lock.commit ?? ''}${suffix}`;
  return `sha256:${hash('sha256', treeFingerprint + tail, 'hex')}`;
}

/**
 * What follows the tree fingerprint for a component with no lock: the same for every dependent of one change,
 * so it is made once (the text to hash is then one concatenation, which `hash` flattens cheaply).
 */
let lastUnlocked = { suffix: '', tail: '\n\n' };
function unlockedTail(suffix: string): string {
  if (lastUnlocked.suffix !== suffix) lastUnlocked = { suffix, tail: `\n\n${suffix}` };
  return lastUnlocked.tail;
}

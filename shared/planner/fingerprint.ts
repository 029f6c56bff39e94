import { createHash } from 'node:crypto';
import type { ComponentLock } from './types';

/**
 * The fingerprint a planned build records: the component's tree fingerprint plus what it builds from
 * upstream (its lock) plus, for a dependent, the changed build dependencies. The tree fingerprint alone does
 * not change when a head- or snapshot-following component's upstream moves, so the lock must be part of it;
 * an event that names the build already built gives the same value and is skipped `unchanged`.
 */
export function plannedFingerprint(
  treeFingerprint: string,
  lock: ComponentLock | undefined,
  buildroot: readonly string[] = [],
): string {
  const parts = [treeFingerprint, lock?.nvr ?? '', lock?.commit ?? '', ...[...buildroot].sort()];
  return `sha256:${createHash('sha256').update(parts.join('\n')).digest('hex')}`;
}

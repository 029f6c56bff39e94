import type { FixtureRelease } from './fixture-releases';
import type { TaggedBuild } from './tag-messages';

/** One message of the burst: its id and what it tags (it gets its `sent-at` when it is sent). */
export interface BurstEntry {
  readonly id: string;
  readonly build: TaggedBuild;
}

/** What a burst holds, by kind (reported with the figures). */
export interface BurstMix {
  /** Tags into the stable tag of a release the fixture dist-git has (two per component: coalescing). */
  readonly relevant: number;
  /** The relevant messages delivered again (same message id). */
  readonly redelivered: number;
  /** A fixture NVR tagged into `f43-updates-testing` (not the stable tag). */
  readonly notStableTag: number;
  /** A fixture package tagged into `f42-updates` (a release the distro does not follow). */
  readonly otherRelease: number;
  /** Packages the distribution does not carry (a mass tag's bulk). */
  readonly notInDistro: number;
}

/**
 * A Koji mass-tag burst of `total` messages: mostly packages the distro does not carry, with the relevant
 * tags (each component's `releases`, oldest first), their redeliveries and near misses spread through it at
 * fixed positions.
 */
export function burstMessages(
  runId: string,
  releases: readonly (readonly FixtureRelease[])[],
  total: number,
): { entries: BurstEntry[]; mix: BurstMix } {
  const special: { at: number; build: TaggedBuild; id: string }[] = [];
  const relevant = releases.flatMap((list, component) => list.map((r, step) => ({ r, step, component })));
  const slot = Math.floor(total / (relevant.length * 3 + 1));
  for (const { r, step, component } of relevant) {
    const id = `bench-burst-${runId}-${r.name}-${r.release}`;
    const at = (step * releases.length + component + 1) * slot;
    special.push({ at, build: r, id });
    special.push(
      { at: at + slot * relevant.length, build: r, id },
      { at: at + 2 * slot * relevant.length, build: r, id },
    );
  }
  const newest = releases.map((list) => list[list.length - 1]!);
  newest.forEach((r, i) => {
    special.push({
      at: slot * (i + 1) + 7,
      build: { ...r, tag: 'f43-updates-testing' },
      id: `bench-burst-${runId}-${r.name}-testing`,
    });
    special.push({
      at: slot * (i + 1) + 13,
      build: { ...r, release: r.release.replace('fc43', 'fc42'), tag: 'f42-updates' },
      id: `bench-burst-${runId}-${r.name}-f42`,
    });
  });
  const byPosition = new Map(special.map((s) => [s.at, s]));
  if (byPosition.size !== special.length || special.some((s) => s.at >= total))
    throw new Error(`a burst of ${total} is too small for ${special.length} placed messages`);
  const entries: BurstEntry[] = [];
  let filler = 0;
  for (let i = 0; i < total; i++) {
    const placed = byPosition.get(i);
    if (placed) entries.push({ id: placed.id, build: placed.build });
    else {
      const name = `bench-mass-${String(filler++).padStart(4, '0')}`;
      entries.push({
        id: `bench-burst-${runId}-${name}`,
        build: { name, version: '1.0', release: '2.fc43' },
      });
    }
  }
  return {
    entries,
    mix: {
      relevant: relevant.length,
      redelivered: relevant.length * 2,
      notStableTag: newest.length,
      otherRelease: newest.length,
      notInDistro: filler,
    },
  };
}

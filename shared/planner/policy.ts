/** Which events trigger a rebuild and how much is built at once. */
export interface PlannerPolicy {
  /** The Fedora release number rawhide currently is (`44` → tag `f44` and release `f44` mean rawhide). */
  readonly rawhide?: number;
  /**
   * Events for a component newer than this (relative to `now`) are held until it is quiet; 0: no window
   * (`azl-rebuilder plan` on recorded events, unless `--debounce` asks for one).
   */
  readonly debounceMs: number;
  /** At most this many planned items; the rest are skipped `over-budget` (planned next time). */
  readonly budget: number;
  /** Tags of mass rebuilds (`f44-rebuild`): relevant, at the lowest priority. */
  readonly massRebuildTags: readonly RegExp[];
  /** Rebuild dependents only when the changed package's provides changed in an ABI-relevant way. */
  readonly abiGate: boolean;
  /** Whether a Bodhi `update-stable` and a `tagged` into the stable tag trigger. */
  readonly triggerOnStableUpdate: boolean;
  readonly triggerOnStableTag: boolean;
}

export const defaultPolicy: PlannerPolicy = {
  debounceMs: 60_000,
  budget: 500,
  massRebuildTags: [/^f\d+-rebuild$/],
  abiGate: true,
  triggerOnStableUpdate: true,
  triggerOnStableTag: true,
};

export const PRIORITY = { direct: 300, dependent: 200, massRebuild: 100 } as const;

/** `f44` → `rawhide` when 44 is rawhide; anything else unchanged. */
export function normalizeRelease(release: string, policy: PlannerPolicy): string {
  return policy.rawhide !== undefined && release === `f${policy.rawhide}` ? 'rawhide' : release;
}

/** The Koji tag a stable build of `branch` lands in: `f43-updates`, or `f44` for rawhide (when configured). */
export function stableTagOf(branch: string, policy: PlannerPolicy): string | undefined {
  if (branch === 'rawhide') return policy.rawhide === undefined ? undefined : `f${policy.rawhide}`;
  return /^f\d+$/.test(branch) ? `${branch}-updates` : undefined;
}

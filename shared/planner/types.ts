/** The planner's inputs and output. Everything is plain data so a plan can be printed and stored as JSON. */

/** What else to rebuild when a component changes (the OBS `rebuild` modes). */
export type RebuildPolicy = 'local' | 'direct' | 'transitive';

/** How a component's upstream commit is chosen (`SpecOrigin.choice`), or `local` for an in-tree spec. */
export type Follows = 'pinned' | 'snapshot' | 'head' | 'local';

export interface PlannerComponent {
  readonly name: string;
  /** The Fedora source package it follows; absent for a local spec. */
  readonly upstreamName?: string;
  /** The dist-git branch it follows (`f43`, `rawhide`). */
  readonly branch?: string;
  /** The pinned upstream commit (`upstream-commit`), if any. */
  readonly pin?: string;
  readonly follows: Follows;
  /** Which dependents to rebuild when this component changes. */
  readonly rebuild: RebuildPolicy;
  /** `fingerprintComponent` of its tree inputs (`sha256:…`). */
  readonly fingerprint: string;
}

export interface PlannerModel {
  readonly components: ReadonlyMap<string, PlannerComponent>;
}

/** What the last plan moved a component to: the upstream build or commit it now follows. */
export interface ComponentLock {
  readonly nvr?: string;
  readonly commit?: string;
  /** The message that moved it. */
  readonly messageId: string;
  /** The provides of the locked upstream build (the baseline of the next ABI comparison). */
  readonly provides?: readonly string[];
}

export interface ComponentState {
  readonly lock?: ComponentLock;
  /** The planner fingerprint (see `plannedFingerprint`) of the last successful build. */
  readonly lastSuccessfulFingerprint?: string;
  /** The fingerprint of the newest build sent to `builds` (asked for by an earlier plan). */
  readonly latestRequestedFingerprint?: string;
}

export interface PlannerState {
  readonly components: Readonly<Record<string, ComponentState>>;
  /** Message ids already planned by an earlier call: never planned twice. */
  readonly plannedMessageIds: ReadonlySet<string>;
}

/** One step of why: message → package → changed provides → BuildRequire → component. */
export interface Reason {
  readonly messageId: string;
  readonly kind: string;
  readonly package: string;
  readonly nvr?: string;
  readonly commit?: string;
  /** ABI-relevant provides added or removed (`+libfoo.so.2()(64bit)`, `-libfoo.so.1()(64bit)`). */
  readonly changedProvides?: readonly string[];
  /** For a dependent: the BuildRequire steps from the changed component to the planned one. */
  readonly path?: readonly Hop[];
  /**
   * The component the event changed: the planned one itself for a direct rebuild, and the start of the path
   * (the first hop's `from`) for a dependent. Dependents behind the same path share one reason object.
   */
  readonly component: string;
}

/**
 * One step of a dependent's path: `from` is rebuilt, and the next component on the path (the next hop's
 * `from`, or the planned component after the last hop) BuildRequires `buildRequire`, which `from` provides.
 */
export interface Hop {
  readonly from: string;
  readonly buildRequire: string;
}

export interface PlannedItem {
  readonly component: string;
  readonly reasons: readonly Reason[];
  readonly wave: number;
  readonly fingerprint: string;
  /** Higher builds first: direct > dependent > mass rebuild. */
  readonly priority: number;
  /**
   * At least this many reasons: one per event of each changed component that reaches the item. Present when
   * `reasons` keeps fewer (its own events' reasons are all kept, and at most `TRANSITIVE_REASONS_KEPT` of the
   * others). A lower bound, not the exact count: counting every changed component behind every dependent is a
   * walk per changed component, which a fresh mass rebuild cannot afford.
   */
  readonly reasonCount?: number;
}

export type SkipCode =
  | 'release-mismatch'
  | 'failed-build'
  | 'scratch-build'
  | 'untagged'
  | 'testing-only'
  | 'not-a-trigger'
  | 'not-stable-tag'
  | 'not-following-head'
  | 'unknown-package'
  | 'duplicate'
  | 'pinned'
  | 'unchanged'
  | 'settling'
  | 'over-budget'
  | 'already-requested';

export interface SkippedItem {
  readonly component?: string;
  readonly package?: string;
  readonly messageId?: string;
  readonly reason: SkipCode;
  readonly detail: string;
  /** For `pinned`: the upstream's new NVR, which is not built. */
  readonly upstreamNvr?: string;
  /** For `pinned`: the commit the component is pinned to. */
  readonly pin?: string;
  readonly reasons?: readonly Reason[];
}

export interface Cycle {
  /** The components of one strongly connected set of BuildRequires, sorted. */
  readonly components: readonly string[];
  /** Edges ignored to order them (`from → to` where `from` sorts after `to`). */
  readonly broken: readonly { readonly from: string; readonly to: string }[];
}

export interface Plan {
  readonly planned: readonly PlannedItem[];
  readonly skipped: readonly SkippedItem[];
  /** The locks of the changed components the plan builds (what upstream each builds), or decides. */
  readonly locks: Readonly<Record<string, ComponentLock>>;
  /**
   * Components of `locks` whose lock must not be saved yet: their event is held (dependents over the
   * budget), so the next pass must see the old lock (the ABI gate's baseline). Absent when none.
   */
  readonly locksHeld?: readonly string[];
  readonly cycles: readonly Cycle[];
}

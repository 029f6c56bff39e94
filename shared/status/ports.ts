import type { BuildRecord } from '../build-worker';
import type { MessageFailure } from '../messaging/message-failures';
import type { ComponentConfig, SpecOrigin } from '../distro';
import type { Reason } from '../planner';

/**
 * What the status API reads, as one port: every list is a page of at most `limit` items with an opaque
 * `continuationToken` for the next one (absent on the last page). A token that was not issued by the same
 * list is `status.invalid-token` (permanent); an unknown id is `undefined`.
 */
export interface PageRequest {
  readonly limit: number;
  readonly continuationToken?: string;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly continuationToken?: string;
}

export type EventOutcome = 'accepted' | 'duplicate' | 'rejected';

export interface EventStatus {
  readonly outcome: EventOutcome;
  readonly messageId: string | null;
  readonly topic?: string;
  readonly kind?: string;
  readonly packages?: readonly string[];
  readonly sentAt?: string;
  /** Rejected: why, where in the message, and the quarantine blob holding it; duplicate: why. */
  readonly reason?: string;
  readonly path?: string;
  /** Which way it came in (`http`, `datagrepper`, `amqp-bridge`, `replay`), and when. */
  readonly source?: string;
  readonly quarantineBlob?: string;
  readonly receivedAt?: string;
}

export interface PlanSummary {
  readonly planId: string;
  readonly createdAt: string;
  readonly messageCount: number;
  readonly plannedCount: number;
  readonly skippedCount: number;
  readonly cycleCount: number;
  readonly waveCount: number;
}

export interface PlanItemStatus {
  readonly component: string;
  readonly wave: number;
  readonly priority: number;
  readonly fingerprint: string;
  readonly reasons: readonly Reason[];
  /**
   * How many reasons the item has (the row keeps the first 200): exact when the planner kept them all, at
   * least this many when it kept only some (`PlannedItem.reasonCount`).
   */
  readonly reasonCount: number;
}

export interface PlanStatus extends PlanSummary {
  /** One page of the plan's items (component order). */
  readonly items: Page<PlanItemStatus>;
}

export type BuildSummary = Pick<
  BuildRecord,
  'buildId' | 'component' | 'fingerprint' | 'planId' | 'wave' | 'state' | 'requestedAt' | 'attempts'
> & { readonly updatedAt: string };

export interface BuildFilter {
  readonly component?: string;
  readonly state?: string;
}

export interface ComponentStatus {
  readonly component: string;
  /** From the distro tree (`config show`); absent when this instance has no distro tree configured. */
  readonly effective?: {
    readonly file: string;
    readonly distro: { readonly name: string; readonly version: string } | null;
    readonly groups: readonly string[];
    readonly origin: SpecOrigin;
    readonly config: ComponentConfig;
    readonly fingerprint: string;
  };
  /** Why the distro tree could not give the effective config (it does not load, or the component is invalid). */
  readonly effectiveError?: { readonly code: string; readonly message: string };
  readonly lock?: unknown;
  readonly lastSuccessfulFingerprint?: string;
  readonly latestRequest?: { readonly fingerprint: string; readonly requestedAt: string };
  readonly recentBuilds: readonly BuildSummary[];
  /** Why it was last rebuilt: the reasons of the plan item behind its newest build. */
  readonly lastRebuild?: {
    readonly buildId: string;
    readonly planId: string;
    readonly reasons: readonly Reason[];
  };
}

export interface RepositoryStatus {
  readonly repository: string;
  readonly revision: number;
  readonly packageCount: number;
  readonly lastPublishedAt: string;
  /** Where dnf reads it (`…/repos/<repository>/`; anonymous in Azure's publishing account). */
  readonly baseUrl: string;
  /** Its `.repo` file beside `repodata/` (`<baseUrl>azl-<channel>-<arch>.repo`), for `/etc/yum.repos.d/`. */
  readonly repoFileUrl: string;
  /** The `dnf` command that lists its packages from `baseUrl`. */
  readonly dnf: string;
}

export interface StatusReaders {
  events(outcome: EventOutcome, page: PageRequest): Promise<Page<EventStatus>>;
  plans(page: PageRequest): Promise<Page<PlanSummary>>;
  plan(planId: string, page: PageRequest): Promise<PlanStatus | undefined>;
  builds(filter: BuildFilter, page: PageRequest): Promise<Page<BuildSummary>>;
  build(buildId: string): Promise<BuildRecord | undefined>;
  component(name: string): Promise<ComponentStatus | undefined>;
  repositories(page: PageRequest): Promise<Page<RepositoryStatus>>;
  failures(entity: string | undefined, page: PageRequest): Promise<Page<MessageFailure>>;
}

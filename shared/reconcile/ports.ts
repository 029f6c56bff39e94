import type { BuildRequest, BuildState } from '../build';
import type { BuildRecord } from '../build-worker';
import type { ComponentLock } from '../planner';
import type { PlanRecord } from '../planning-pass';
import type { PublishRequest } from '../publishing';

/** A plan as its summary row names it. */
export interface PlanSummary {
  readonly planId: string;
  readonly createdAt: string;
}

/** What a repository's publisher recorded about one publish request (`<repository>:<fingerprint>`). */
export interface PublishStatus {
  /** `rejected`: set aside with its reason (a package of it cannot be published); not to be sent again. */
  readonly state: 'pending' | 'done' | 'rejected';
  /** The request as recorded, to send again. */
  readonly request?: PublishRequest;
}

/** The pipeline's records, read only: plans, build records, locks and the publishers' requests. */
export interface ReconcileRecords {
  /** Plans created in [since, before), newest first, at most `limit`. */
  plansBetween(since: Date, before: Date, limit: number): Promise<PlanSummary[]>;
  /** The whole plan record (`plans/<planId>.json`), or undefined when it is gone. */
  plan(planId: string): Promise<PlanRecord | undefined>;
  build(component: string, fingerprint: string): Promise<BuildRecord | undefined>;
  /** Builds in one of `states` whose last transition is in [since, before), oldest first, at most `limit`. */
  buildsIn(states: readonly BuildState[], since: Date, before: Date, limit: number): Promise<BuildRecord[]>;
  /** The component's current lock (what upstream the planner moved it to). */
  lock(component: string): Promise<ComponentLock | undefined>;
  publishStatus(repository: string, fingerprint: string): Promise<PublishStatus | undefined>;
}

/**
 * Where stale work is sent again. Message ids differ from the originals (`<id>:reconcile:<run ms>`) so the
 * broker's duplicate detection, which drops a repeat of the original id, lets them through.
 */
export interface ReconcileQueues {
  resendBuild(request: BuildRequest, messageId: string): Promise<void>;
  resendPublish(request: PublishRequest, messageId: string): Promise<void>;
}

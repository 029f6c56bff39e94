import type { Logger } from './logger';
import type { IngestSink } from './fedora/ingest-port';
import type { CatchUpResult } from './fedora/catch-up';
import type { BuildHandled } from './build-worker';
import type { MessageFailureLog } from './messaging/message-failures';
import type { BuildRequest, BuildResult } from './build';
import type { DependencyRefresher, Planning } from './planning-pass';
import type { PublishOutcome, PublishRequest } from './publishing';
import type { StatusReaders } from './status/ports';
import type { ImageBuildRecords } from './images/image-build-records';
import type { DashboardAssets } from './dashboard/assets';
import type { ReconcileReport } from './reconcile';
import type { PipelineTelemetry } from './telemetry/pipeline-telemetry';
import type { WebhookSubscriptions } from './webhooks/subscriptions';
import type { WebhookDelivery } from './webhooks/webhook-delivery';
import type { PipelineCloudEvent } from './events/cloud-event';
import type { ImageBuildRequests } from './images/image-trigger';
import type { ImageTriggerPort } from './images/image-trigger-service';

/**
 * What the function handlers need from the outside world, as ports. The composition root
 * (`infra/composition.ts`) builds them from settings for the Azure entry and the local host; tests build
 * them from fakes.
 */

/** One dependency the health endpoint checks. */
export interface DependencyProbe {
  readonly name: string;
  /** Resolves with a short detail when the dependency answers; rejects with the reason when it does not. */
  check(signal: AbortSignal): Promise<string | undefined>;
}

export interface Services {
  readonly logger: Logger;
  /** Spans, metrics and custom events (see `shared/telemetry/catalogue.ts`); no-ops while export is off. */
  readonly telemetry: PipelineTelemetry;
  readonly dependencies: readonly DependencyProbe[];
  /** Why a Service Bus message could not be handled, by message id (beside the dead-letter queue). */
  readonly failures: MessageFailureLog;
  /** Where Fedora messages go in (normalize, deduplicate, quarantine, queue). */
  readonly ingest: IngestSink;
  /** One datagrepper catch-up run into `ingest`; absent when the catch-up is switched off. */
  readonly catchUp?: () => Promise<CatchUpResult>;
  /** Planning passes over the events from `ingest` (holds them pending when no distro tree is configured). */
  readonly planning: Planning;
  /** Rebuilds the dependency index from Fedora's repodata; absent when no repodata is configured. */
  readonly dependencyRefresher?: DependencyRefresher;
  /** Publishes RPMs into repositories (the `publish` queue). */
  readonly publisher: {
    publish(request: PublishRequest, options?: { readonly deferrable?: boolean }): Promise<PublishOutcome>;
    /** Deletes retired repository files whose grace period has passed, and orphans (`findOrphans`); how many. */
    sweepAll(): Promise<number>;
  };
  /** Builds one requested component; absent when this instance cannot build (no distro tree configured). */
  readonly buildWorker?: {
    handle(request: BuildRequest): Promise<BuildHandled>;
    acceptResult(result: BuildResult): Promise<BuildHandled>;
  };
  /** What the status API reads (events, plans, builds, components, repositories, failures). */
  readonly status?: StatusReaders;
  /** Image build records (`GET /api/images`, the image publisher); absent: this instance keeps none. */
  readonly imageRecords?: ImageBuildRecords;
  /** The dashboard page's files (`GET /api/dashboard`); absent: this instance serves no dashboard. */
  readonly dashboard?: DashboardAssets;
  /** Sends stale work (unbuilt plan items, stuck builds, unpublished successes) again; absent: no reconciling. */
  readonly reconciler?: { run(now: Date): Promise<ReconcileReport> };
  /** Webhook subscriptions (`/api/webhooks`); absent: this instance keeps none. */
  readonly webhooks?: WebhookSubscriptions;
  /** Webhook delivery: fan-out, attempts, the delivery log, ping and redelivery; absent: none here. */
  readonly webhookDelivery?: WebhookDelivery;
  /**
   * Hands each pipeline event to the Event Grid topic of `AZL_EVENTGRID_TOPIC_ENDPOINT` (as a CloudEvent,
   * with the managed identity); absent: no topic is configured, and the `event-grid` subscription's messages
   * are completed unsent.
   */
  readonly eventGrid?: { publish(event: PipelineCloudEvent): Promise<void> };
  /**
   * The image build trigger (`shared/images/image-trigger-service.ts`): `repo.published` → debounced
   * `image-builds` checks, and builds asked for over HTTP; absent: no distro tree, no image triggers.
   */
  readonly imageTrigger?: ImageTriggerPort;
  /**
   * The image builds (`shared/images/image-build-service.ts`): one build asked for, built and published (or
   * dispatched), or `unchanged` when the fingerprint is the published one; absent: this instance builds no
   * images (due builds are completed with a log line).
   */
  readonly imageBuilds?: ImageBuildRequests;
}

/** Built lazily, once, on the first invocation (the Functions host imports the app before settings matter). */
export type ServicesProvider = () => Promise<Services>;

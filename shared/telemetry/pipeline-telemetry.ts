import { PipelineError } from '../errors';
import type { IngestOutcome, IngestSource } from '../fedora/ingest-port';
import { CUSTOM_EVENTS, METRICS } from './catalogue';
import type { CustomEventDefinition, MetricDefinition } from './catalogue';
import type { TraceContext } from './trace-context';

/**
 * The pipeline's telemetry port: domain code says what happened (`buildFinished`, `planCreated`, …) and runs
 * its stages in spans; `infra/telemetry` implements it with OpenTelemetry, tests with the in-memory twin
 * (`testing/fakes/telemetry.ts`). Every recording goes through `pipelineTelemetry`, which turns each call
 * into exactly the metrics and custom events of the catalogue, so the names and dimensions the code emits
 * cannot drift from `shared/telemetry/catalogue.ts`. Nothing here may throw into the pipeline.
 */

/** The dimensions of one recording: exactly the catalogue's, as strings. */
export type MetricDimensions<M extends MetricDefinition> = {
  readonly [K in M['dimensions'][number]]: string;
};
export type EventProperties<E extends CustomEventDefinition> = {
  readonly [K in E['properties'][number]]: string | number | boolean;
};

/** Where recordings go: OpenTelemetry instruments and log records (infra), or a list (tests). */
export interface TelemetrySink {
  metric<M extends MetricDefinition>(metric: M, value: number, dimensions: MetricDimensions<M>): void;
  event<E extends CustomEventDefinition>(event: E, properties: EventProperties<E>): void;
}

export type SpanAttributeValue = string | number | boolean;
export type SpanAttributes = Readonly<Record<string, SpanAttributeValue | undefined>>;

/** The span kinds the pipeline uses (OpenTelemetry's; CONSUMER and SERVER become App Insights requests). */
export type StageSpanKind = 'internal' | 'consumer' | 'producer' | 'client' | 'server';

export interface StageSpanOptions {
  readonly kind?: StageSpanKind;
  /** The parent (a message's context); default: the active span. */
  readonly parent?: TraceContext;
  /** Spans this one follows from without being their child (a build links to the events of its plan item). */
  readonly links?: readonly TraceContext[];
}

/** The span a stage runs in. */
export interface StageSpan {
  annotate(attributes: SpanAttributes): void;
}

/** Spans per stage, nested through the active context. */
export interface Tracing {
  /**
   * Runs `work` in a new active span and ends it however `work` ends; a failure is recorded as an exception
   * with its PipelineError code (`error.type`) and rethrown unchanged.
   */
  span<T>(
    name: string,
    attributes: SpanAttributes,
    work: (span: StageSpan) => Promise<T>,
    options?: StageSpanOptions,
  ): Promise<T>;
  /** The active span's context, to carry in a message or a stored record; undefined while tracing is off. */
  current(): TraceContext | undefined;
}

export type PlanTrigger = 'event' | 'timer';

export interface BuildFinished {
  readonly component: string;
  readonly fingerprint: string;
  readonly buildId: string;
  /** The build's final state (`succeeded`, `unchanged`, `failed`, `overlay-drift`, `cancelled`). */
  readonly outcome: string;
  /** Where it ran: the builder's name (`rpmbuild`, `mock`, `container-apps-job`, …). */
  readonly builder: string;
  readonly durationMs: number;
  /** Time inside the builder itself (rpmbuild), when this process ran it. */
  readonly rpmbuildMs?: number;
  readonly packages: number;
  readonly error?: { readonly code: string; readonly retryable: boolean };
  readonly logExcerpt?: string;
}

export interface PublishFinished {
  readonly repository: string;
  /** `published` (a new revision), `unchanged` (nothing new), `failed`. */
  readonly outcome: 'published' | 'unchanged' | 'failed';
  readonly durationMs: number;
  readonly revision?: number;
  /** Packages in the revision. */
  readonly packages?: number;
  readonly added?: number;
  readonly removed?: number;
  /** When Fedora sent the message that caused the rebuild, for end-to-end latency (published only). */
  readonly upstreamSentAt?: string;
}

export interface PipelineTelemetry extends Tracing {
  messagesIngested(
    outcome: IngestOutcome,
    source: IngestSource,
    topic: string | undefined,
    count: number,
  ): void;
  planningPassFinished(outcome: 'planned' | 'nothing-decided' | 'failed', durationMs: number): void;
  planCreated(plan: { planId: string; trigger: PlanTrigger; components: readonly string[] }): void;
  buildFinished(build: BuildFinished): void;
  /** A message's time in its queue, from enqueued (or scheduled) to the start of processing. */
  messageWaited(queue: string, waitMs: number): void;
  publishFinished(publish: PublishFinished): void;
  /** The last delivery of a message failed: the broker moves it to the dead-letter queue. */
  messageDeadLettered(message: { queue: string; messageId: string; error: unknown }): void;
  /** One webhook delivery attempt ended. */
  webhookAttempted(attempt: WebhookAttempted): void;
  /** A webhook endpoint was disabled (410 Gone, or failing for too long). */
  webhookEndpointDisabled(endpoint: { endpointId: string; reason: 'gone' | 'failing'; detail: string }): void;
}

export interface WebhookAttempted {
  readonly result: 'delivered' | 'retrying' | 'failed' | 'endpoint-disabled';
  readonly format: 'cloudevents' | 'slack' | 'teams';
  readonly latencyMs: number;
}

/** Components a `PlanCreated` event names (the rest is counted in `items`). */
export const PLAN_EVENT_COMPONENTS = 20;
/** Characters of a failed build's log a `BuildFailed` event keeps (its end). */
export const LOG_EXCERPT_CHARS = 2_000;

/** The port over `sink` and `tracing`, mapping every call onto the catalogue. Failures of the sink are swallowed. */
export function pipelineTelemetry(sink: TelemetrySink, tracing: Tracing): PipelineTelemetry {
  const safely = (record: () => void): void => {
    try {
      record();
    } catch {
      // Telemetry is best effort: a broken instrument must never fail the stage that reports to it.
    }
  };
  return {
    span: (name, attributes, work, options) => tracing.span(name, attributes, work, options),
    current: () => tracing.current(),
    messagesIngested: (outcome, source, topic, count) =>
      safely(() =>
        sink.metric(METRICS.ingestMessages, count, { outcome, source, topic: topicFamily(topic) }),
      ),
    planningPassFinished: (outcome, durationMs) =>
      safely(() => sink.metric(METRICS.planningPassDuration, durationMs, { outcome })),
    planCreated: ({ planId, trigger, components }) =>
      safely(() => {
        sink.metric(METRICS.planItems, components.length, { trigger });
        sink.event(CUSTOM_EVENTS.planCreated, {
          plan_id: planId,
          trigger,
          items: components.length,
          components: components.slice(0, PLAN_EVENT_COMPONENTS).join(' '),
        });
      }),
    buildFinished: (build) =>
      safely(() => {
        const { outcome, builder } = build;
        sink.metric(METRICS.builds, 1, { outcome, builder });
        sink.metric(METRICS.buildDuration, build.durationMs / 1000, { outcome, builder });
        if (build.rpmbuildMs !== undefined)
          sink.metric(METRICS.rpmbuildDuration, build.rpmbuildMs / 1000, { outcome });
        const identity = {
          component: build.component,
          fingerprint: build.fingerprint,
          build_id: build.buildId,
        };
        if (build.error) {
          sink.event(CUSTOM_EVENTS.buildFailed, {
            ...identity,
            builder,
            error_code: build.error.code,
            retryable: build.error.retryable,
            log_excerpt: (build.logExcerpt ?? '').slice(-LOG_EXCERPT_CHARS),
          });
        } else if (outcome === 'succeeded' || outcome === 'unchanged') {
          sink.event(CUSTOM_EVENTS.buildSucceeded, {
            ...identity,
            builder,
            duration_s: Math.round(build.durationMs / 100) / 10,
            packages: build.packages,
          });
        }
      }),
    messageWaited: (queue, waitMs) =>
      safely(() => sink.metric(METRICS.queueWait, Math.max(0, waitMs), { queue })),
    publishFinished: (publish) =>
      safely(() => {
        const { repository, outcome } = publish;
        sink.metric(METRICS.publishDuration, publish.durationMs, { repository, outcome });
        if (outcome !== 'published') return;
        sink.metric(METRICS.publishPackages, publish.packages ?? 0, { repository });
        sink.event(CUSTOM_EVENTS.repoPublished, {
          repository,
          revision: publish.revision ?? 0,
          packages: publish.packages ?? 0,
          added: publish.added ?? 0,
          removed: publish.removed ?? 0,
        });
        const sent = publish.upstreamSentAt ? Date.parse(publish.upstreamSentAt) : NaN;
        if (!Number.isNaN(sent))
          sink.metric(METRICS.endToEndLatency, Math.max(0, Date.now() - sent) / 1000, { repository });
      }),
    messageDeadLettered: ({ queue, messageId, error }) =>
      safely(() => {
        const code = PipelineError.is(error) ? error.code : 'unclassified';
        sink.metric(METRICS.deadLettered, 1, { queue, error_code: code });
        sink.event(CUSTOM_EVENTS.messageDeadLettered, {
          queue,
          message_id: messageId,
          error_code: code,
          reason: error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
        });
      }),
    webhookAttempted: ({ result, format, latencyMs }) =>
      safely(() => {
        sink.metric(METRICS.webhookAttempts, 1, { result, format });
        sink.metric(METRICS.webhookAttemptDuration, Math.max(0, latencyMs), { result });
      }),
    webhookEndpointDisabled: ({ endpointId, reason, detail }) =>
      safely(() =>
        sink.event(CUSTOM_EVENTS.webhookEndpointDisabled, { endpoint_id: endpointId, reason, detail }),
      ),
  };
}

/**
 * A topic's family, a low-cardinality dimension: the environment prefix dropped and the application plus
 * object kept (`org.fedoraproject.prod.buildsys.build.state.change` → `buildsys.build`).
 */
export function topicFamily(topic: string | undefined): string {
  if (!topic) return 'unknown';
  const parts = topic.replace(/^org\.(fedoraproject|centos)\.(prod|stg)\./, '').split('.');
  return parts.slice(0, 2).join('.') || 'unknown';
}

/** Tracing that records nothing: `work` runs with a span that ignores its annotations. */
export const noTracing: Tracing = {
  span: (_name, _attributes, work) => work({ annotate: () => undefined }),
  current: () => undefined,
};

/** The port that records nothing (tests that do not look at telemetry, tools). */
export const noTelemetry: PipelineTelemetry = pipelineTelemetry(
  { metric: () => undefined, event: () => undefined },
  noTracing,
);

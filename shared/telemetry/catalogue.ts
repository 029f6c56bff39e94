/**
 * Every metric and custom event the pipeline emits, defined once: the instrumentation records exactly these
 * (infra/telemetry), the README's table is generated from them, and the portal workbook's queries are checked
 * against them (a test fails when the workbook names something the code does not emit, or the code emits
 * something the workbook never shows).
 *
 * Names follow OpenTelemetry's conventions (dotted, lower-case, units in `unit`, not in the name); Application
 * Insights stores a metric under its name in `customMetrics` (dimensions in `customDimensions`) and a custom
 * event under its name in `customEvents`. Dimensions are low-cardinality only: a component name (thousands)
 * is a custom-event property and a span attribute, never a metric dimension.
 */

import { finalBuildStates } from '../build/build-state';
import type { IngestOutcome, IngestSource } from '../fedora/ingest-port';

export type MetricKind = 'counter' | 'histogram' | 'upDownCounter';

export interface MetricDefinition {
  readonly name: string;
  readonly kind: MetricKind;
  /** UCUM unit as OpenTelemetry writes it: `ms`, `s`, or a `{thing}` annotation for counts. */
  readonly unit: string;
  readonly description: string;
  /** The attribute names every recording carries (and no others). */
  readonly dimensions: readonly string[];
  /**
   * The values a dimension can take, where the code has a closed set (outcomes, sources, triggers); a
   * dimension not listed is open (a queue, a repository, an error code). Queries comparing a dimension with a
   * value outside its set are caught by the workbook and alert tests.
   */
  readonly values?: Readonly<Partial<Record<string, readonly string[]>>>;
}

export interface CustomEventDefinition {
  readonly name: string;
  readonly description: string;
  /** The properties every event carries (customDimensions). */
  readonly properties: readonly string[];
}

const metric = <const D extends readonly string[]>(
  name: string,
  kind: MetricKind,
  unit: string,
  dimensions: D,
  description: string,
  values?: Readonly<Partial<Record<D[number], readonly string[]>>>,
) => ({ name, kind, unit, dimensions, description, ...(values ? { values } : {}) }) as const;

/** Ingest outcomes and sources (shared/fedora/ingest-port.ts), checked both ways below. */
const INGEST_OUTCOMES = ['accepted', 'duplicate', 'ignored', 'rejected'] as const;
const INGEST_SOURCES = ['http', 'datagrepper', 'amqp-bridge', 'replay'] as const;
type SameSet<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const ingestValuesMatch: [
  SameSet<(typeof INGEST_OUTCOMES)[number], IngestOutcome>,
  SameSet<(typeof INGEST_SOURCES)[number], IngestSource>,
] = [true, true];
void ingestValuesMatch;

/** A build's outcome is its final state. */
const BUILD_OUTCOMES = [...finalBuildStates];
const PUBLISH_OUTCOMES = ['published', 'unchanged', 'failed'] as const;
const PLANNING_OUTCOMES = ['planned', 'nothing-decided', 'failed'] as const;
const PLAN_TRIGGERS = ['event', 'timer'] as const;
const WEBHOOK_RESULTS = ['delivered', 'retrying', 'failed', 'endpoint-disabled'] as const;
const WEBHOOK_FORMATS = ['cloudevents', 'slack', 'teams'] as const;

/** The pipeline's metrics, by the name the code refers to them with. */
export const METRICS = {
  ingestMessages: metric(
    'azl.ingest.messages',
    'counter',
    '{message}',
    ['outcome', 'source', 'topic'],
    'Fedora messages handed to ingest, by outcome (accepted, duplicate, ignored, rejected), source (http, amqp-bridge, datagrepper, replay) and topic family (`buildsys.tag`, `bodhi.update`, …)',
    { outcome: INGEST_OUTCOMES, source: INGEST_SOURCES },
  ),
  planningPassDuration: metric(
    'azl.planning.pass.duration',
    'histogram',
    'ms',
    ['outcome'],
    'How long one planning pass took, from reading the pending events to the plan written, by outcome (planned, nothing-decided, failed)',
    { outcome: PLANNING_OUTCOMES },
  ),
  planItems: metric(
    'azl.plan.items',
    'histogram',
    '{item}',
    ['trigger'],
    'Components one plan rebuilds (its size), by what triggered the pass (event, timer)',
    { trigger: PLAN_TRIGGERS },
  ),
  builds: metric(
    'azl.builds',
    'counter',
    '{build}',
    ['outcome', 'builder'],
    'Finished builds, by outcome (their final state: succeeded, unchanged, failed, overlay-drift, cancelled) and builder (rpmbuild, container-apps-job)',
    { outcome: BUILD_OUTCOMES },
  ),
  buildDuration: metric(
    'azl.build.duration',
    'histogram',
    's',
    ['outcome', 'builder'],
    "Wall time of one build, from the worker taking the job to its outcome recorded (for a cloud build, the execution's own)",
    { outcome: BUILD_OUTCOMES },
  ),
  rpmbuildDuration: metric(
    'azl.build.rpmbuild.duration',
    'histogram',
    's',
    ['outcome'],
    'Time spent in rpmbuild itself within a build (source preparation and upload excluded)',
    { outcome: BUILD_OUTCOMES },
  ),
  queueWait: metric(
    'azl.queue.wait',
    'histogram',
    'ms',
    ['queue'],
    'How long a message waited in its queue: from enqueued (or scheduled) time to the start of processing',
  ),
  publishDuration: metric(
    'azl.publish.duration',
    'histogram',
    'ms',
    ['repository', 'outcome'],
    'How long one repository publish took, from the request taken to repomd.xml committed, by outcome (published, unchanged, failed)',
    { outcome: PUBLISH_OUTCOMES },
  ),
  publishPackages: metric(
    'azl.publish.packages',
    'histogram',
    '{package}',
    ['repository'],
    'Packages in the repository revision one publish commits',
  ),
  endToEndLatency: metric(
    'azl.pipeline.latency',
    'histogram',
    's',
    ['repository'],
    "From the Fedora message's sent time to the repository revision that carries its rebuild",
  ),
  deadLettered: metric(
    'azl.messages.dead_lettered',
    'counter',
    '{message}',
    ['queue', 'error_code'],
    'Messages moved to a dead-letter queue, by queue and the PipelineError code of the reason',
  ),
  webhookAttempts: metric(
    'azl.webhook.attempts',
    'counter',
    '{attempt}',
    ['result', 'format'],
    'Webhook delivery attempts, by result (delivered, retrying, failed: given up, endpoint-disabled) and body format (cloudevents, slack, teams)',
    { result: WEBHOOK_RESULTS, format: WEBHOOK_FORMATS },
  ),
  webhookAttemptDuration: metric(
    'azl.webhook.attempt.duration',
    'histogram',
    'ms',
    ['result'],
    'How long one webhook attempt took, from the URL check to the end of the answer (at most the 15 s limit)',
    { result: WEBHOOK_RESULTS },
  ),
} as const satisfies Record<string, MetricDefinition>;

const event = <const P extends readonly string[]>(name: string, properties: P, description: string) =>
  ({ name, properties, description }) as const;

/** The milestones a person scans for, as Application Insights custom events. */
export const CUSTOM_EVENTS = {
  planCreated: event(
    'PlanCreated',
    ['plan_id', 'trigger', 'items', 'components'],
    'A planning pass wrote a plan: its id, what triggered it, how many components and which (first 20)',
  ),
  buildSucceeded: event(
    'BuildSucceeded',
    ['component', 'fingerprint', 'build_id', 'builder', 'duration_s', 'packages'],
    'A component built: its fingerprint, the build, where it ran, how long and how many packages',
  ),
  buildFailed: event(
    'BuildFailed',
    ['component', 'fingerprint', 'build_id', 'builder', 'error_code', 'retryable', 'log_excerpt'],
    'A build failed: the component, the PipelineError code, whether it will be retried, the end of its log',
  ),
  repoPublished: event(
    'RepoPublished',
    ['repository', 'revision', 'packages', 'added', 'removed'],
    'A repository revision was committed: its revision, package count and what changed',
  ),
  messageDeadLettered: event(
    'MessageDeadLettered',
    ['queue', 'message_id', 'error_code', 'reason'],
    'A message was dead-lettered, with the reason the pipeline gave',
  ),
  webhookEndpointDisabled: event(
    'WebhookEndpointDisabled',
    ['endpoint_id', 'reason', 'detail'],
    'A webhook endpoint was disabled: it answered 410 Gone (gone), or failed every attempt for too long (failing)',
  ),
} as const satisfies Record<string, CustomEventDefinition>;

export type MetricName = (typeof METRICS)[keyof typeof METRICS]['name'];
export type CustomEventName = (typeof CUSTOM_EVENTS)[keyof typeof CUSTOM_EVENTS]['name'];

export const allMetrics = (): readonly MetricDefinition[] => Object.values(METRICS);
export const allCustomEvents = (): readonly CustomEventDefinition[] => Object.values(CUSTOM_EVENTS);

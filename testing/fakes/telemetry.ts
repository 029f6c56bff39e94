import { randomBytes } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { PipelineError } from '../../shared/errors';
import { pipelineTelemetry } from '../../shared/telemetry/pipeline-telemetry';
import type {
  PipelineTelemetry,
  SpanAttributeValue,
  StageSpanKind,
  Tracing,
} from '../../shared/telemetry/pipeline-telemetry';
import { parseTraceparent } from '../../shared/telemetry/trace-context';
import type { TraceContext } from '../../shared/telemetry/trace-context';

/** One metric recording, as the catalogue names it. */
export interface RecordedMetric {
  readonly name: string;
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface RecordedEvent {
  readonly name: string;
  readonly properties: Readonly<Record<string, string | number | boolean>>;
}

export interface RecordedSpan {
  readonly name: string;
  readonly kind: StageSpanKind;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId?: string;
  readonly links: readonly TraceContext[];
  readonly attributes: Record<string, SpanAttributeValue>;
  /** The PipelineError code (or error name) of a failure, as `error.type`. */
  errorType?: string;
  ended: boolean;
}

/** The in-memory twin of the telemetry port: what was recorded, in order. */
export interface RecordingTelemetry {
  readonly telemetry: PipelineTelemetry;
  readonly metrics: RecordedMetric[];
  readonly events: RecordedEvent[];
  readonly spans: RecordedSpan[];
  metricsNamed(name: string): RecordedMetric[];
  eventsNamed(name: string): RecordedEvent[];
}

export function recordingTelemetry(): RecordingTelemetry {
  const metrics: RecordedMetric[] = [];
  const events: RecordedEvent[] = [];
  const spans: RecordedSpan[] = [];
  const telemetry = pipelineTelemetry(
    {
      metric: (metric, value, dimensions) =>
        metrics.push({ name: metric.name, value, dimensions: { ...dimensions } }),
      event: (event, properties) => events.push({ name: event.name, properties: { ...properties } }),
    },
    recordingTracing(spans),
  );
  return {
    telemetry,
    metrics,
    events,
    spans,
    metricsNamed: (name) => metrics.filter((m) => m.name === name),
    eventsNamed: (name) => events.filter((e) => e.name === name),
  };
}

const hex = (bytes: number): string => randomBytes(bytes).toString('hex');

/** Spans nested through AsyncLocalStorage, as OpenTelemetry's context manager nests them. */
function recordingTracing(spans: RecordedSpan[]): Tracing {
  const active = new AsyncLocalStorage<RecordedSpan>();
  const contextOf = (span: RecordedSpan): TraceContext => ({
    traceparent: `00-${span.traceId}-${span.spanId}-01`,
  });
  return {
    span: async (name, attributes, work, options = {}) => {
      // As the OpenTelemetry implementation: a request (CONSUMER, SERVER) without a context starts a trace.
      const kind = options.kind ?? 'internal';
      const current = kind === 'consumer' || kind === 'server' ? undefined : active.getStore();
      const parent = options.parent
        ? parseTraceparent(options.parent.traceparent)
        : current && { traceId: current.traceId, spanId: current.spanId };
      const span: RecordedSpan = {
        name,
        kind,
        traceId: parent?.traceId ?? hex(16),
        spanId: hex(8),
        ...(parent ? { parentSpanId: parent.spanId } : {}),
        links: [...(options.links ?? [])],
        attributes: {},
        ended: false,
      };
      const annotate = (more: Record<string, SpanAttributeValue | undefined>): void => {
        for (const [key, value] of Object.entries(more))
          if (value !== undefined) span.attributes[key] = value;
      };
      annotate(attributes);
      spans.push(span);
      try {
        return await active.run(span, () => work({ annotate }));
      } catch (error) {
        span.errorType = PipelineError.is(error)
          ? error.code
          : error instanceof Error
            ? error.name
            : 'unknown';
        throw error;
      } finally {
        span.ended = true;
      }
    },
    current: () => {
      const span = active.getStore();
      return span ? contextOf(span) : undefined;
    },
  };
}

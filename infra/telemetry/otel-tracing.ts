import { ROOT_CONTEXT, SpanKind, TraceFlags, context, trace } from '@opentelemetry/api';
import type { Attributes, Context, Link, SpanContext } from '@opentelemetry/api';
import type { SpanAttributes, StageSpanKind, Tracing } from '../../shared/telemetry/pipeline-telemetry';
import { parseTraceparent } from '../../shared/telemetry/trace-context';
import type { TraceContext } from '../../shared/telemetry/trace-context';
import { getTracer, recordFailure } from './tracing';

const KINDS: Record<StageSpanKind, SpanKind> = {
  internal: SpanKind.INTERNAL,
  consumer: SpanKind.CONSUMER,
  producer: SpanKind.PRODUCER,
  client: SpanKind.CLIENT,
  server: SpanKind.SERVER,
};

/**
 * The `Tracing` port over OpenTelemetry: spans from the pipeline's tracer (no-ops until telemetry starts),
 * parents and links read from W3C `traceparent` strings directly, so a message's context is honoured even
 * where no propagator is registered.
 */
export const otelTracing: Tracing = {
  span: (name, attributes, work, options = {}) => {
    // A request (CONSUMER, SERVER) without an incoming context starts a trace of its own.
    const kind = options.kind ?? 'internal';
    const parent = options.parent
      ? contextOf(options.parent)
      : kind === 'consumer' || kind === 'server'
        ? ROOT_CONTEXT
        : context.active();
    const links = (options.links ?? []).flatMap((link): Link[] => {
      const spanContext = spanContextOf(link);
      return spanContext ? [{ context: spanContext }] : [];
    });
    return getTracer().startActiveSpan(
      name,
      { kind: KINDS[kind], attributes: definedAttributes(attributes), links },
      parent,
      async (span) => {
        try {
          return await work({ annotate: (more) => span.setAttributes(definedAttributes(more)) });
        } catch (error) {
          recordFailure(span, error);
          throw error;
        } finally {
          span.end();
        }
      },
    );
  },
  current: () => currentTraceContext(),
};

/** The active span's context as a `traceparent`, when there is a valid one. */
export function currentTraceContext(): TraceContext | undefined {
  const spanContext = trace.getActiveSpan()?.spanContext();
  if (!spanContext || !trace.isSpanContextValid(spanContext)) return undefined;
  const flags = (spanContext.traceFlags & TraceFlags.SAMPLED) === TraceFlags.SAMPLED ? '01' : '00';
  const state = spanContext.traceState?.serialize();
  return {
    traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`,
    ...(state ? { tracestate: state } : {}),
  };
}

/** A context whose (remote) parent is `parent`; the root context when it does not parse. */
function contextOf(parent: TraceContext): Context {
  const spanContext = spanContextOf(parent);
  return spanContext ? trace.setSpanContext(ROOT_CONTEXT, spanContext) : ROOT_CONTEXT;
}

function spanContextOf(value: TraceContext): SpanContext | undefined {
  const parsed = parseTraceparent(value.traceparent);
  if (!parsed) return undefined;
  return {
    traceId: parsed.traceId,
    spanId: parsed.spanId,
    traceFlags: parsed.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  };
}

function definedAttributes(attributes: SpanAttributes): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined) out[key] = value;
  return out;
}

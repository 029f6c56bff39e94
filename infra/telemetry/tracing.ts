import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Attributes, Span, Tracer } from '@opentelemetry/api';
import { PipelineError, describeError } from '../../shared/errors';

/** The instrumentation scope of every span and metric the pipeline itself records. */
export const SERVICE_NAME = 'azl-rebuilder';

/**
 * Looked up on every call rather than cached: telemetry may be switched on after a module has been
 * imported, and the API hands out no-op tracers until then.
 */
export function getTracer(): Tracer {
  return trace.getTracer(SERVICE_NAME);
}

export interface WithSpanOptions {
  /** INTERNAL by default; CONSUMER for message processing, PRODUCER for sends, CLIENT for outgoing calls. */
  readonly kind?: SpanKind;
}

/**
 * Runs `fn` inside a new active span (so spans started within become its children) and ends it however
 * `fn` finishes. On failure the span gets the exception event, ERROR status and `error.type` (the
 * PipelineError code when there is one), and the error is rethrown unchanged. Success leaves the status
 * UNSET, as OpenTelemetry recommends.
 */
export function withSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T> | T,
  options: WithSpanOptions = {},
): Promise<T> {
  return getTracer().startActiveSpan(
    name,
    { kind: options.kind ?? SpanKind.INTERNAL, attributes },
    async (span) => {
      try {
        return await fn(span);
      } catch (error) {
        recordFailure(span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}

/** Marks a span failed; for code that manages its own spans. */
export function recordFailure(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : describeError(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) });
  if (PipelineError.is(error)) {
    span.setAttributes({ 'error.type': error.code, 'azl.error.retryable': error.retryable });
  } else {
    span.setAttribute('error.type', error instanceof Error ? error.name : typeof error);
  }
}

/** The trace id of the active span, for records that should link back to telemetry (webhook deliveries). */
export function activeTraceId(): string | undefined {
  const context = trace.getActiveSpan()?.spanContext();
  return context && trace.isSpanContextValid(context) ? context.traceId : undefined;
}

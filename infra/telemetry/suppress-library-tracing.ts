import { context, createContextKey } from '@opentelemetry/api';

/**
 * The key OpenTelemetry's SDK reads to suppress tracing (`suppressTracing` of `@opentelemetry/core`; context
 * keys are `Symbol.for` their description, so every copy of the API agrees on it).
 */
const SUPPRESS_TRACING = createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING');

/**
 * Runs `start` (and everything it sets going: receive loops, their callbacks) with library tracing
 * suppressed: no spans from the Azure SDK's own Service Bus receive, process and settle instrumentation.
 * The local host uses it around its listeners, because the pipeline's CONSUMER span per invocation is the
 * request; the SDK's process span would count every message a second time. The pipeline's own spans are not
 * affected: an invocation's span starts from the message's context (or a fresh root), not from this one.
 */
export function withoutLibraryTracing<T>(start: () => T): T {
  return context.with(context.active().setValue(SUPPRESS_TRACING, true), start);
}

/**
 * W3C trace context as the pipeline carries it: in a Service Bus message's application properties
 * (`traceparent`, and `Diagnostic-Id` with the same value, which the Azure SDKs and the Functions host read)
 * and in stored records (a plan item keeps the contexts of the events that caused it, so its build can link
 * back to them). Only the `traceparent` form is understood; anything else (a legacy hierarchical
 * `Diagnostic-Id`, garbage) reads as no context, never as an error: telemetry must not fail the pipeline.
 */
import { z } from 'zod';

export interface TraceContext {
  /** `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`. */
  readonly traceparent: string;
  readonly tracestate?: string;
}

/** A trace context as messages and rows store it; an unreadable `traceparent` is only ignored on use. */
export const traceContextSchema = z.object({
  traceparent: z.string().max(64),
  tracestate: z.string().max(512).optional(),
});

/** At most this many cause contexts travel with a plan item and its build (a mass rebuild has thousands). */
export const MAX_CAUSE_TRACES = 16;

/** The application property names a message carries its trace context in. */
export const TRACEPARENT_PROPERTY = 'traceparent';
export const TRACESTATE_PROPERTY = 'tracestate';
export const DIAGNOSTIC_ID_PROPERTY = 'Diagnostic-Id';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export interface ParsedTraceparent {
  readonly traceId: string;
  readonly spanId: string;
  readonly sampled: boolean;
}

/** The ids of a `traceparent`, or undefined when it is not one (all-zero ids are invalid too). */
export function parseTraceparent(value: unknown): ParsedTraceparent | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim().toLowerCase());
  if (!match) return undefined;
  const [, traceId = '', spanId = '', flags = '00'] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

/** The trace context a message's application properties carry: `traceparent` first, then `Diagnostic-Id`. */
export function traceContextOfProperties(
  properties: Readonly<Record<string, unknown>> | undefined,
): TraceContext | undefined {
  if (!properties) return undefined;
  for (const name of [TRACEPARENT_PROPERTY, DIAGNOSTIC_ID_PROPERTY]) {
    const value = properties[name];
    if (parseTraceparent(value) && typeof value === 'string') {
      const state = properties[TRACESTATE_PROPERTY];
      return {
        traceparent: value.trim().toLowerCase(),
        ...(typeof state === 'string' && state !== '' ? { tracestate: state } : {}),
      };
    }
  }
  return undefined;
}

/** The application properties that carry `context` on a message. */
export function tracePropertiesOf(context: TraceContext): Record<string, string> {
  return {
    [TRACEPARENT_PROPERTY]: context.traceparent,
    [DIAGNOSTIC_ID_PROPERTY]: context.traceparent,
    ...(context.tracestate ? { [TRACESTATE_PROPERTY]: context.tracestate } : {}),
  };
}

import { currentTraceContext } from '../telemetry/otel-tracing';
import { tracePropertiesOf, traceContextOfProperties } from '../../shared/telemetry/trace-context';
import type { OutgoingMessage } from './outgoing-message';

/**
 * `message` with the active span's W3C trace context in its application properties: `traceparent` (and
 * `tracestate`), which OpenTelemetry consumers read, and `Diagnostic-Id` with the same value, which the
 * Azure SDKs and the Functions host read to parent the invocation's request. Unchanged when no span is
 * active (telemetry off and no message context to pass on) or when the message carries a context already.
 */
export function withTraceContext(message: OutgoingMessage): OutgoingMessage {
  if (traceContextOfProperties(message.applicationProperties)) return message;
  const context = currentTraceContext();
  if (!context) return message;
  return {
    ...message,
    applicationProperties: { ...message.applicationProperties, ...tracePropertiesOf(context) },
  };
}

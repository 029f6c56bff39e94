import { SpanKind } from '@opentelemetry/api';
import { SERVICE_BUS_OPERATION_TYPE } from '../../shared/telemetry/messaging-attributes';
import type { ServiceBusOperation } from '../../shared/telemetry/messaging-attributes';

/** Service Bus span names and attributes (in shared/, pure), and the span kind of each operation. */
export { serviceBusAttributes, serviceBusSpanName } from '../../shared/telemetry/messaging-attributes';
export type { ServiceBusOperation, ServiceBusSpanInput } from '../../shared/telemetry/messaging-attributes';

/** PRODUCER for sends, CONSUMER for processing, CLIENT for receive and settle calls. */
export function serviceBusSpanKind(operation: ServiceBusOperation): SpanKind {
  const type = SERVICE_BUS_OPERATION_TYPE[operation];
  if (type === 'send') return SpanKind.PRODUCER;
  return type === 'process' ? SpanKind.CONSUMER : SpanKind.CLIENT;
}

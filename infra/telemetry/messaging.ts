import { SpanKind } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';

/**
 * OpenTelemetry messaging conventions for Azure Service Bus (semantic-conventions
 * docs/messaging/azure-messaging.md): span names `{operation} {destination}`, and the attributes the
 * Application Insights transaction view and workbooks group by.
 */
export type ServiceBusOperation =
  'send' | 'schedule' | 'receive' | 'peek' | 'process' | 'complete' | 'abandon' | 'defer' | 'dead_letter';

const OPERATION_TYPE: Record<ServiceBusOperation, 'send' | 'receive' | 'process' | 'settle'> = {
  send: 'send',
  schedule: 'send',
  receive: 'receive',
  peek: 'receive',
  process: 'process',
  complete: 'settle',
  abandon: 'settle',
  defer: 'settle',
  dead_letter: 'settle',
};

export interface ServiceBusSpanInput {
  readonly operation: ServiceBusOperation;
  /** Queue or topic name. */
  readonly destination: string;
  readonly subscription?: string;
  readonly messageId?: string;
  readonly correlationId?: string;
  readonly deliveryCount?: number;
  readonly batchSize?: number;
  /** The namespace host, e.g. `azl.servicebus.windows.net`. */
  readonly serverAddress?: string;
}

export function serviceBusSpanName(input: Pick<ServiceBusSpanInput, 'operation' | 'destination'>): string {
  return `${input.operation} ${input.destination}`;
}

/** PRODUCER for sends, CONSUMER for processing, CLIENT for receive and settle calls. */
export function serviceBusSpanKind(operation: ServiceBusOperation): SpanKind {
  const type = OPERATION_TYPE[operation];
  if (type === 'send') return SpanKind.PRODUCER;
  return type === 'process' ? SpanKind.CONSUMER : SpanKind.CLIENT;
}

export function serviceBusAttributes(input: ServiceBusSpanInput): Attributes {
  const attributes: Attributes = {
    'messaging.system': 'servicebus',
    'messaging.operation.name': input.operation,
    'messaging.operation.type': OPERATION_TYPE[input.operation],
    'messaging.destination.name': input.destination,
  };
  const optional: Attributes = {
    'messaging.destination.subscription.name': input.subscription,
    'messaging.message.id': input.messageId,
    'messaging.message.conversation_id': input.correlationId,
    'messaging.servicebus.message.delivery_count': input.deliveryCount,
    'messaging.batch.message_count': input.batchSize,
    'server.address': input.serverAddress,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) attributes[key] = value;
  return attributes;
}

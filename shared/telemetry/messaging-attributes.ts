/**
 * OpenTelemetry messaging conventions for Azure Service Bus (semantic-conventions
 * docs/messaging/azure-messaging.md): span names `{operation} {destination}`, and the attributes the
 * Application Insights transaction view and workbooks group by. Pure data, so the function table can name
 * its spans without an OpenTelemetry import (`infra/telemetry/messaging.ts` adds the span kinds).
 */
export type ServiceBusOperation =
  'send' | 'schedule' | 'receive' | 'peek' | 'process' | 'complete' | 'abandon' | 'defer' | 'dead_letter';

export type ServiceBusOperationType = 'send' | 'receive' | 'process' | 'settle';

export const SERVICE_BUS_OPERATION_TYPE: Readonly<Record<ServiceBusOperation, ServiceBusOperationType>> = {
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

export function serviceBusAttributes(input: ServiceBusSpanInput): Record<string, string | number> {
  const attributes: Record<string, string | number> = {
    'messaging.system': 'servicebus',
    'messaging.operation.name': input.operation,
    'messaging.operation.type': SERVICE_BUS_OPERATION_TYPE[input.operation],
    'messaging.destination.name': input.destination,
  };
  const optional: Record<string, string | number | undefined> = {
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

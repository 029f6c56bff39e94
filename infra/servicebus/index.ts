/**
 * The Service Bus adapter: the only code that touches @azure/service-bus. Everything it throws is a
 * PipelineError with a `servicebus.*` code (see service-bus-errors.ts). Typical use:
 *
 *   const client = createServiceBusClient(settings.serviceBus);
 *   await new MessageSender(client, { queue: 'ingest' }).send({ messageId, body });
 *   const session = await acceptNextSession(client, { queue: 'builds' }, { waitMs: 5_000 });
 *   ...
 *   await closeServiceBusClient(client);
 */
export { closeServiceBusClient, createServiceBusClient, defaultRetry } from './service-bus-client';
export type { ServiceBusClientOptions } from './service-bus-client';
export type { ServiceBusClient } from '@azure/service-bus';
export type { ReceiveSource, SendTarget, ServiceBusPlace } from './entity-address';
export { MessageSender } from './message-sender';
export type { ApplicationPropertyValue, OutgoingMessage } from './outgoing-message';
export { MessageReceiver } from './message-receiver';
export type { MessageReceiverOptions } from './message-receiver';
export { PeekLockReceiver } from './peek-lock-receiver';
export { acceptNextSession, acceptSession, SessionReceiver } from './session-receiver';
export type { AcceptNextSessionOptions, SessionReceiverOptions } from './session-receiver';
export type { MessageView, ReceivedMessage } from './received-message';
export { deadLetterError } from './dead-letter';
export type { DeadLetterReason } from './dead-letter';
export type { SequenceNumber, SequenceNumberInput } from './sequence-number';
export { classifyServiceBusError, serviceBusCall } from './service-bus-errors';

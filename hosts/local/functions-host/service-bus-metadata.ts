import type { ServiceBusReceivedMessage } from '@azure/service-bus';

/**
 * The trigger metadata the Functions host puts on `context.triggerMetadata` for a Service Bus message
 * (cardinality one). Note `deliveryCount`: the host reports 1 on the first delivery (the .NET SDK's
 * DeliveryCount), while the AMQP header the JS SDK exposes counts earlier attempts (0 on the first).
 */
export function serviceBusTriggerMetadata(message: ServiceBusReceivedMessage): Record<string, unknown> {
  return {
    messageId: message.messageId,
    deliveryCount: (message.deliveryCount ?? 0) + 1,
    sequenceNumber: message.sequenceNumber?.toNumber(),
    enqueuedTimeUtc: message.enqueuedTimeUtc?.toISOString(),
    expiresAtUtc: message.expiresAtUtc?.toISOString(),
    lockedUntilUtc: message.lockedUntilUtc?.toISOString(),
    lockToken: message.lockToken,
    sessionId: message.sessionId,
    correlationId: message.correlationId,
    contentType: message.contentType,
    subject: message.subject,
    label: message.subject,
    replyTo: message.replyTo,
    to: message.to,
    applicationProperties: message.applicationProperties ?? {},
    userProperties: message.applicationProperties ?? {},
    deadLetterSource: message.deadLetterSource,
  };
}

import type { ServiceBusClient } from '@azure/service-bus';
import { queues } from '../../shared/messaging/entities';
import type { DeliveryMessage, DeliveryQueue } from '../../shared/webhooks/delivery';
import { attemptMessageId } from '../../shared/webhooks/delivery';
import { MessageSender } from '../servicebus';
import type { OutgoingMessage } from '../servicebus';

/**
 * The `webhook-deliveries` queue: one message per attempt, in the endpoint's session (so one endpoint's
 * attempts never hold another's), with the attempt's own id (`attemptMessageId`) for duplicate detection.
 */
export class ServiceBusDeliveryQueue implements DeliveryQueue {
  private readonly sender: MessageSender;

  constructor(client: ServiceBusClient) {
    this.sender = new MessageSender(client, { queue: queues.webhookDeliveries.name });
  }

  async send(messages: readonly DeliveryMessage[]): Promise<void> {
    await this.sender.sendBatch(messages.map(outgoing));
  }

  async schedule(message: DeliveryMessage, at: Date): Promise<void> {
    await this.sender.schedule(outgoing(message), at);
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

function outgoing(message: DeliveryMessage): OutgoingMessage {
  return {
    messageId: attemptMessageId(message),
    sessionId: message.endpointId,
    subject: message.trigger,
    body: message,
    applicationProperties: { eventId: message.event.id, attempt: message.attempt, round: message.round },
  };
}

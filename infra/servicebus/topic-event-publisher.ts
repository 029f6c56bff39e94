import type { PipelineEvent } from '../../shared/messaging/pipeline-event';
import { topics } from '../../shared/messaging/entities';
import type { PipelineEventPublisher } from '../../shared/messaging/pipeline-event';
import type { ServiceBusClient } from '@azure/service-bus';
import { MessageSender } from './message-sender';

/** The `events` topic: each pipeline event with its id as message id and its type as subject. */
export class TopicEventPublisher implements PipelineEventPublisher {
  private readonly sender: MessageSender;

  constructor(client: ServiceBusClient) {
    this.sender = new MessageSender(client, { topic: topics.events.name });
  }

  async publish(events: readonly PipelineEvent[]): Promise<void> {
    await this.sender.sendBatch(
      events.map((event) => ({
        messageId: event.id,
        subject: event.type,
        body: event,
        applicationProperties: { type: event.type, subject: event.subject },
      })),
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

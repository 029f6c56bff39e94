import { toCloudEvent } from '../../shared/events/cloud-event';
import type { PipelineEvent } from '../../shared/events/pipeline-event';
import { topics } from '../../shared/messaging/entities';
import type { PipelineEventPublisher } from '../../shared/messaging/pipeline-event';
import type { ServiceBusClient } from '@azure/service-bus';
import { MessageSender } from './message-sender';

/**
 * The `events` topic. Each message's body is the event's CloudEvent in the JSON structured mode
 * (`toCloudEvent`, with this instance as `source`), so subscribers forward it as it is; its message id is the
 * event id (duplicate detection), its subject and `type` property the catalogue type (`build.failed`), and its
 * `subject` property the event's subject, for subscription filters.
 */
export class TopicEventPublisher implements PipelineEventPublisher {
  private readonly sender: MessageSender;

  constructor(
    client: ServiceBusClient,
    private readonly instance: string,
  ) {
    this.sender = new MessageSender(client, { topic: topics.events.name });
  }

  async publish(events: readonly PipelineEvent[]): Promise<void> {
    await this.sender.sendBatch(
      events.map((event) => ({
        messageId: event.id,
        subject: event.type,
        body: toCloudEvent(event, this.instance),
        applicationProperties: { type: event.type, subject: event.subject },
      })),
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

import { createHash } from 'node:crypto';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import { queues } from '../../shared/messaging/entities';
import type { EventQueue } from '../../shared/ingest/ports';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';

const MAX_MESSAGE_ID = 128;

/** The `ingest` queue. The Fedora message id is the Service Bus message id, for duplicate detection. */
export class ServiceBusEventQueue implements EventQueue {
  private readonly sender: MessageSender;

  constructor(client: ServiceBusClient) {
    this.sender = new MessageSender(client, { queue: queues.ingest.name });
  }

  async enqueue(events: readonly UpstreamEvent[]): Promise<void> {
    await this.sender.sendBatch(
      events.map((event) => ({
        messageId: serviceBusMessageId(event.messageId),
        body: event,
        subject: event.kind,
        applicationProperties: { topic: event.topic, kind: event.kind, release: event.release ?? null },
      })),
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

/** Service Bus ids are at most 128 characters; a longer Fedora id is replaced by its hash, stably. */
export function serviceBusMessageId(fedoraId: string): string {
  return fedoraId.length <= MAX_MESSAGE_ID
    ? fedoraId
    : `sha256:${createHash('sha256').update(fedoraId).digest('hex')}`;
}

import { queues } from '../../shared/messaging/entities';
import { publishFlushId } from '../../shared/publishing';
import type { PublishFlushes, PublishRequest } from '../../shared/publishing';
import { publishMessage } from '../build-worker/queue-messages';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';

/**
 * Deferred publishes on the `publish` queue: the request scheduled for `at` in its repository's session, under
 * `flush:<repository>:<at>`. Every request deferred to the same moment gets the same id, so the queue's
 * duplicate detection keeps one message per repository and moment.
 */
export class ServiceBusPublishFlushes implements PublishFlushes {
  private readonly sender: MessageSender;

  constructor(client: ServiceBusClient) {
    this.sender = new MessageSender(client, { queue: queues.publish.name });
  }

  async scheduleFlush(request: PublishRequest, at: Date): Promise<void> {
    const id = publishFlushId(request.repository, at.getTime());
    await this.sender.schedule(publishMessage(request, id, 'publish-flush'), at);
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

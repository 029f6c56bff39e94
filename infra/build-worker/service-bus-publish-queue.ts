import type { PublishQueue } from '../../shared/build-worker';
import { queues } from '../../shared/messaging/entities';
import { publishRequestKey } from '../../shared/publishing';
import type { PendingPublishes, PublishRequest } from '../../shared/publishing';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';
import { publishMessage } from './queue-messages';

/**
 * The `publish` queue: session = repository id (publishes serialize per repository), id = repo + fingerprint.
 * Each request is first recorded as pending for its repository: a publish that is running, or starts before
 * this message is delivered, takes every pending request of the repository into its generation, so a burst of
 * builds coalesces into few revisions, and the later messages find their request published already.
 */
export class ServiceBusPublishQueue implements PublishQueue {
  private readonly sender: MessageSender;

  constructor(
    client: ServiceBusClient,
    private readonly pending?: PendingPublishes,
  ) {
    this.sender = new MessageSender(client, { queue: queues.publish.name });
  }

  async send(requests: readonly PublishRequest[]): Promise<void> {
    if (this.pending) {
      const pending = this.pending;
      await Promise.all(requests.map((request) => pending.add(publishRequestKey(request), request)));
    }
    await this.sender.sendBatch(
      requests.map((request) =>
        publishMessage(request, `${request.repository}:${request.fingerprint}`, 'publish'),
      ),
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

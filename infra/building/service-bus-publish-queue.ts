import type { PublishQueue } from '../../shared/building';
import { queues } from '../../shared/messaging/entities';
import type { PublishRequest } from '../../shared/publishing';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';

/** The `publish` queue: session = repository id (publishes serialize per repository), id = repo + fingerprint. */
export class ServiceBusPublishQueue implements PublishQueue {
  private readonly sender: MessageSender;

  constructor(client: ServiceBusClient) {
    this.sender = new MessageSender(client, { queue: queues.publish.name });
  }

  async send(requests: readonly PublishRequest[]): Promise<void> {
    await this.sender.sendBatch(
      requests.map((request) => ({
        messageId: `${request.repository}:${request.fingerprint}`,
        sessionId: request.repository,
        subject: 'publish',
        body: request,
        applicationProperties: { repository: request.repository, component: request.component },
      })),
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

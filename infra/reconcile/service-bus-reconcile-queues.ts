import type { BuildRequest } from '../../shared/build';
import { queues } from '../../shared/messaging/entities';
import type { PublishRequest } from '../../shared/publishing';
import type { ReconcileQueues } from '../../shared/reconcile';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';
import { buildsMessage, publishMessage } from '../build-worker/queue-messages';

/**
 * Sends stale work again on `builds` (session = component) and `publish` (session = repository), with the
 * same bodies and properties as the original senders and the reconciler's own message ids. The publish
 * request is pending in `publishqueue` already (that is why it is sent again), so it is not recorded twice.
 */
export class ServiceBusReconcileQueues implements ReconcileQueues {
  private readonly builds: MessageSender;
  private readonly publish: MessageSender;

  constructor(client: ServiceBusClient) {
    this.builds = new MessageSender(client, { queue: queues.builds.name });
    this.publish = new MessageSender(client, { queue: queues.publish.name });
  }

  async resendBuild(request: BuildRequest, messageId: string): Promise<void> {
    await this.builds.send(buildsMessage(request, messageId, 'build-reconcile'));
  }

  async resendPublish(request: PublishRequest, messageId: string): Promise<void> {
    await this.publish.send(publishMessage(request, messageId, 'publish-reconcile'));
  }

  async close(): Promise<void> {
    await this.builds.close();
    await this.publish.close();
  }
}

import type { BuildRequest } from '../../shared/build';
import { queues } from '../../shared/messaging/entities';
import type { PublishRequest } from '../../shared/publishing';
import type { ReconcileQueues } from '../../shared/reconcile';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';

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
    await this.builds.send({
      messageId,
      sessionId: request.component,
      subject: 'build-reconcile',
      body: request,
      applicationProperties: {
        planId: request.planId,
        component: request.component,
        wave: request.wave,
        priority: request.priority,
        attempt: request.attempt,
      },
    });
  }

  async resendPublish(request: PublishRequest, messageId: string): Promise<void> {
    await this.publish.send({
      messageId,
      sessionId: request.repository,
      subject: 'publish-reconcile',
      body: request,
      applicationProperties: { repository: request.repository, component: request.component },
    });
  }

  async close(): Promise<void> {
    await this.builds.close();
    await this.publish.close();
  }
}

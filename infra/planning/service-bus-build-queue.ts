import type { BuildRequest } from '../../shared/build';
import { queues } from '../../shared/messaging/entities';
import type { BuildQueue } from '../../shared/planning';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';

/**
 * The `builds` queue. Session id = component, so one component builds at a time and in order; message id =
 * fingerprint, so the same build asked for twice (a retried pass, two plans with the same inputs) is
 * dropped by duplicate detection.
 */
export class ServiceBusBuildQueue implements BuildQueue {
  private readonly sender: MessageSender;

  constructor(client: ServiceBusClient) {
    this.sender = new MessageSender(client, { queue: queues.builds.name });
  }

  async send(requests: readonly BuildRequest[]): Promise<void> {
    await this.sender.sendBatch(
      requests.map((request) => ({
        messageId: request.fingerprint,
        sessionId: request.component,
        subject: 'build',
        body: request,
        applicationProperties: {
          planId: request.planId,
          component: request.component,
          wave: request.wave,
          priority: request.priority,
        },
      })),
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

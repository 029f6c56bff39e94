import type { BuildRequest } from '../../shared/build';
import { queues } from '../../shared/messaging/entities';
import type { BuildQueue } from '../../shared/planning-pass';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';
import { buildsMessage } from '../build-worker/queue-messages';

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
      requests.map((request) => buildsMessage(request, request.fingerprint, 'build')),
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

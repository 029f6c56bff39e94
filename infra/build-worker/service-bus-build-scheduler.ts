import type { BuildRequest } from '../../shared/build';
import type { BuildScheduler } from '../../shared/build-worker';
import { queues } from '../../shared/messaging/entities';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';
import { buildsMessage } from './queue-messages';

/**
 * Sends a build request to `builds` again at a later time (a scheduled message in the component's session).
 * The message id names the reason and the time (`<fingerprint>:retry:2:<ms>`), so duplicate detection,
 * which drops a repeat of the original id, lets it through.
 */
export class ServiceBusBuildScheduler implements BuildScheduler {
  private readonly sender: MessageSender;

  constructor(client: ServiceBusClient) {
    this.sender = new MessageSender(client, { queue: queues.builds.name });
  }

  async schedule(request: BuildRequest, at: Date, why: 'retry' | 'wait'): Promise<void> {
    await this.sender.schedule(
      buildsMessage(
        request,
        `${request.fingerprint}:${why}:${request.attempt}:${at.getTime()}`,
        `build-${why}`,
      ),
      at,
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

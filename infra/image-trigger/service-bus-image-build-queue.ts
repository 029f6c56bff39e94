import type { ServiceBusClient } from '@azure/service-bus';
import type { ImageBuildQueue, ScheduledImageBuild } from '../../shared/images/image-trigger';
import { queues } from '../../shared/messaging/entities';
import { MessageSender } from '../servicebus';
import type { OutgoingMessage } from '../servicebus';

/**
 * The `image-builds` queue: each message in its image's session (one build of an image at a time), with the
 * trigger's message id for duplicate detection, which is what coalesces a burst of `repo.published` into one
 * check. A message due now or earlier is sent; a later one is scheduled for its `notBefore`.
 */
export class ServiceBusImageBuildQueue implements ImageBuildQueue {
  private readonly sender: MessageSender;

  constructor(
    client: ServiceBusClient,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.sender = new MessageSender(client, { queue: queues.imageBuilds.name });
  }

  async send(messages: readonly ScheduledImageBuild[]): Promise<void> {
    const now = this.now().getTime();
    await this.sender.sendBatch(messages.filter((m) => m.notBefore.getTime() <= now).map(outgoing));
    for (const message of messages.filter((m) => m.notBefore.getTime() > now))
      await this.sender.schedule(outgoing(message), message.notBefore);
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

function outgoing(message: ScheduledImageBuild): OutgoingMessage {
  return {
    messageId: message.messageId,
    sessionId: message.sessionId,
    subject: message.body.trigger,
    body: message.body,
  };
}

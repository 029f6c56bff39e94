import type { BuildRequest } from '../../shared/build';
import { queues } from '../../shared/messaging/entities';
import type { BuildQueue } from '../../shared/planning-pass';
import type { ServiceBusClient } from '../servicebus';
import { MessageSender } from '../servicebus';
import { buildsMessage } from '../build-worker/queue-messages';
import type { OutgoingMessage } from '../servicebus';
import { tracePropertiesOf } from '../../shared/telemetry/trace-context';

/**
 * The `builds` queue. Session id = component, so one component builds at a time and in order; message id =
 * fingerprint, so the same build asked for twice (a retried pass, two plans with the same inputs) is
 * dropped by duplicate detection. A request whose item has causes travels in the trace of its first cause
 * (the Fedora message's), not the planning pass's, which may run in a timer's trace: so a Fedora message's
 * trace reaches every build and revision it causes.
 */
export class ServiceBusBuildQueue implements BuildQueue {
  private readonly sender: MessageSender;

  constructor(client: ServiceBusClient) {
    this.sender = new MessageSender(client, { queue: queues.builds.name });
  }

  async send(requests: readonly BuildRequest[]): Promise<void> {
    await this.sender.sendBatch(
      requests.map((request) =>
        inTraceOfFirstCause(request, buildsMessage(request, request.fingerprint, 'build')),
      ),
    );
  }

  close(): Promise<void> {
    return this.sender.close();
  }
}

function inTraceOfFirstCause(request: BuildRequest, message: OutgoingMessage): OutgoingMessage {
  const [first] = request.causes ?? [];
  if (!first) return message;
  return {
    ...message,
    applicationProperties: { ...message.applicationProperties, ...tracePropertiesOf(first) },
  };
}

import { ServiceBusClient } from '@azure/service-bus';
import { startBroker } from '../infra/local/broker/broker';
import { queues } from '../shared/messaging/entities';
import { perSecond, round, timed, waitFor } from '../testing/measure';

export interface BrokerThroughput {
  readonly messages: number;
  readonly sendMs: number;
  readonly sendPerSecond: number;
  readonly receiveCompleteMs: number;
  readonly receiveCompletePerSecond: number;
  readonly totalPerSecond: number;
}

/**
 * Send, then receive and complete, `count` messages through the unmodified SDK against the in-memory broker:
 * sends in batches of 250 (as a producer would), receives with the SDK's streaming receiver at 16 concurrent
 * calls (the Functions host's default), completing each message.
 */
export async function measureBrokerThroughput(count = 10_000): Promise<BrokerThroughput> {
  const broker = await startBroker({ entities: [queues.ingest] });
  const client = new ServiceBusClient(broker.connectionString);
  try {
    const sender = client.createSender('ingest');
    const sendMs = await timed(async () => {
      for (let i = 0; i < count; i += 250) {
        const batch = Array.from({ length: Math.min(250, count - i) }, (_, j) => ({
          messageId: `m-${i + j}`,
          body: { n: i + j, topic: 'org.fedoraproject.prod.buildsys.tag' },
        }));
        await sender.sendMessages(batch);
      }
    });
    const receiver = client.createReceiver('ingest');
    let completed = 0;
    const receiveCompleteMs = await timed(async () => {
      const subscription = receiver.subscribe(
        {
          processMessage: async (message) => {
            await receiver.completeMessage(message);
            completed += 1;
          },
          processError: async () => undefined,
        },
        { autoCompleteMessages: false, maxConcurrentCalls: 16 },
      );
      await waitFor(() => completed >= count, 300_000);
      await subscription.close();
    });
    await receiver.close();
    return {
      messages: count,
      sendMs: round(sendMs, 1),
      sendPerSecond: perSecond(count, sendMs),
      receiveCompleteMs: round(receiveCompleteMs, 1),
      receiveCompletePerSecond: perSecond(count, receiveCompleteMs),
      totalPerSecond: perSecond(count, sendMs + receiveCompleteMs),
    };
  } finally {
    await client.close();
    await broker.stop();
  }
}

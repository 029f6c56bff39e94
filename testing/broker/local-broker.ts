import { ServiceBusClient } from '@azure/service-bus';
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { startBroker } from '../../infra/local/broker/broker';
import type { BrokerOptions } from '../../infra/local/broker/broker';
import { nextSessionWithin } from '../../infra/servicebus/next-session';
import { useStarted } from '../lifecycle';

/** The project's local Service Bus broker as the tests of a block see it. */
export interface LocalBroker {
  readonly connectionString: string;
  /** An `@azure/service-bus` client on it. */
  readonly client: ServiceBusClient;
}

/** A local broker serving `options.entities`, with a client, for the tests of a block. */
export function useLocalBroker(options: BrokerOptions): LocalBroker {
  const started = useStarted(
    'the local broker',
    async () => {
      const broker = await startBroker(options);
      return { broker, client: new ServiceBusClient(broker.connectionString) };
    },
    async ({ broker, client }) => {
      await client.close();
      await broker.stop();
    },
  );
  return {
    get connectionString() {
      return started().broker.connectionString;
    },
    get client() {
      return started().client;
    },
  };
}

/**
 * Every message of a session queue, session by session, taken in receiveAndDelete mode. (The SDK's
 * next-session accept long-polls for a minute when there is none; `nextSessionWithin` gives up after a second.)
 */
export async function drainSessions(
  client: ServiceBusClient,
  queue: string,
): Promise<ServiceBusReceivedMessage[]> {
  const got: ServiceBusReceivedMessage[] = [];
  for (;;) {
    const session = await nextSessionWithin(
      () => client.acceptNextSession(queue, { receiveMode: 'receiveAndDelete' }),
      1_000,
      { entity: queue },
    );
    if (!session) return got;
    got.push(...(await session.receiveMessages(50, { maxWaitTimeInMs: 300 })));
    await session.close();
  }
}

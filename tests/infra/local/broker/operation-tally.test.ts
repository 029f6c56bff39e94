import { ServiceBusClient } from '@azure/service-bus';
import { afterEach, expect, test } from 'vitest';
import { startBroker } from '../../../../infra/local/broker/broker';
import type { RunningBroker } from '../../../../infra/local/broker/broker';
import { queues } from '../../../../shared/messaging/entities';

let broker: RunningBroker | undefined;
let client: ServiceBusClient | undefined;
afterEach(async () => {
  await client?.close();
  await broker?.stop();
});

test('the broker counts the operations it serves: transfers, messages, deliveries, settlements, management requests', async () => {
  broker = await startBroker({ entities: [queues.ingest] });
  client = new ServiceBusClient(broker.connectionString);
  const sender = client.createSender(queues.ingest.name);
  await sender.sendMessages([{ body: 'a' }, { body: 'b' }, { body: 'c' }]); // one batch
  await sender.sendMessages({ body: 'd' });
  await sender.scheduleMessages({ body: 'later' }, new Date(Date.now() + 3_600_000));
  const receiver = client.createReceiver(queues.ingest.name);
  const received = [];
  while (received.length < 4) received.push(...(await receiver.receiveMessages(4 - received.length)));
  for (const message of received) await receiver.completeMessage(message);

  const counts = broker.namespace.operations.snapshot();
  expect(counts).toMatchObject({
    send: 2,
    message: 4,
    deliver: 4,
    settle: 4,
    'management:com.microsoft:schedule-message': 1,
  });
  expect(counts.cbs ?? 0).toBeGreaterThanOrEqual(1); // the SDK puts a token per link
});

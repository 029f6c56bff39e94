import { ServiceBusClient } from '@azure/service-bus';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { AppServices } from '../../infra/composition';
import { createServices } from '../../infra/composition';
import type { RunningBroker } from '../../infra/local/broker/broker';
import { startBroker } from '../../infra/local/broker/broker';
import { silentLogger } from '../../shared/logger';
import { allEntities } from '../../shared/messaging/entities';
import { loadSettings } from '../../shared/settings/load-settings';
import { azuriteConnectionString } from '../../testing/azurite';
import { FAKE_BASE_URL, FakeDatagrepper } from '../../testing/fedora/fake-datagrepper';
import { messagesOver } from '../../testing/fedora/fake-messages';
import { useMsw } from '../../testing/msw';

/**
 * The composition root wires the datagrepper catch-up into the real ingest path: messages from a (fake)
 * datagrepper end up on the `ingest` queue once, and a second run queues nothing again.
 */
const now = Math.floor(Date.now() / 1000);
const fake = new FakeDatagrepper().add(messagesOver(now - 3 * 3600, now - 600, 120, 5_000));
useMsw([fake.handler()], { azurite: true });
let broker: RunningBroker;
let services: AppServices;
let client: ServiceBusClient;

beforeAll(async () => {
  broker = await startBroker({ entities: allEntities });
  client = new ServiceBusClient(broker.connectionString);
  const settings = loadSettings({
    AzureWebJobsStorage: azuriteConnectionString(),
    ServiceBusConnection: broker.connectionString,
    AZL_DATAGREPPER_URL: FAKE_BASE_URL,
  });
  services = createServices(settings, silentLogger);
});

afterAll(async () => {
  await services.close();
  await client.close();
  await broker.stop();
});

test('a catch-up run queues every message datagrepper holds, once', async () => {
  expect(services.catchUp).toBeDefined();
  const first = await services.catchUp!();
  expect(first.ended).toBe('caught-up');
  const receiver = client.createReceiver('ingest', { receiveMode: 'receiveAndDelete' });
  const ids: string[] = [];
  for (;;) {
    const got = await receiver.receiveMessages(100, { maxWaitTimeInMs: 500 });
    if (got.length === 0) break;
    ids.push(...got.map((m) => String(m.messageId)));
  }
  expect(ids.sort()).toEqual(fake.messages.map((m) => m.id).sort());

  const second = await services.catchUp!();
  expect(second.checkpointAfter).toBeDefined();
  expect(await receiver.receiveMessages(10, { maxWaitTimeInMs: 500 })).toHaveLength(0);
  await receiver.close();
}, 60_000);

test('with AZL_FEDORA_CATCH_UP=off there is no catch-up', () => {
  const off = createServices(
    loadSettings({
      AzureWebJobsStorage: azuriteConnectionString(),
      ServiceBusConnection: broker.connectionString,
      AZL_FEDORA_CATCH_UP: 'off',
    }),
    silentLogger,
  );
  expect(off.catchUp).toBeUndefined();
  return off.close();
});

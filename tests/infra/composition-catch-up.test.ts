import { expect, test } from 'vitest';
import { createServices } from '../../infra/composition';
import { parseBridgeConfig } from '../../infra/fedora-bridge';
import { silentLogger } from '../../shared/logger';
import { loadSettings } from '../../shared/settings/load-settings';
import { azuriteConnectionString } from '../../testing/azurite';
import { FAKE_BASE_URL, FakeDatagrepper } from '../../testing/fedora/fake-datagrepper';
import { messagesOver } from '../../testing/fedora/fake-messages';
import { useMsw } from '../../testing/msw';
import { useComposedServices } from '../../testing/composition';

/**
 * The composition root wires the datagrepper catch-up into the real ingest path: messages from a (fake)
 * datagrepper end up on the `ingest` queue once, and a second run queues nothing again.
 */
const now = Math.floor(Date.now() / 1000);
const fake = new FakeDatagrepper().add(messagesOver(now - 3 * 3600, now - 600, 120, 5_000));
useMsw([fake.handler()], { azurite: true });
const app = useComposedServices(() => ({ AZL_DATAGREPPER_URL: FAKE_BASE_URL }));

test('a catch-up run queues every message datagrepper holds, once', async () => {
  expect(app.services.catchUp).toBeDefined();
  const first = await app.services.catchUp!();
  expect(first.ended).toBe('caught-up');
  const receiver = app.client.createReceiver('ingest', { receiveMode: 'receiveAndDelete' });
  const ids: string[] = [];
  for (;;) {
    const got = await receiver.receiveMessages(100, { maxWaitTimeInMs: 500 });
    if (got.length === 0) break;
    ids.push(...got.map((m) => String(m.messageId)));
  }
  expect(ids.sort()).toEqual(fake.messages.map((m) => m.id).sort());

  // Every search asked for exactly the bridge's default bindings: one list of topics for both.
  const bindings = parseBridgeConfig({}).bindings;
  expect(fake.requests.length).toBeGreaterThan(0);
  for (const request of fake.requests) expect(request.url.searchParams.getAll('topic')).toEqual(bindings);

  const second = await app.services.catchUp!();
  expect(second.checkpointAfter).toBeDefined();
  expect(await receiver.receiveMessages(10, { maxWaitTimeInMs: 500 })).toHaveLength(0);
  await receiver.close();
}, 60_000);

test('with AZL_FEDORA_CATCH_UP=off there is no catch-up', () => {
  const off = createServices(
    loadSettings({
      AzureWebJobsStorage: azuriteConnectionString(),
      ServiceBusConnection: app.serviceBusConnection,
      AZL_FEDORA_CATCH_UP: 'off',
    }),
    silentLogger,
  );
  expect(off.catchUp).toBeUndefined();
  return off.close();
});

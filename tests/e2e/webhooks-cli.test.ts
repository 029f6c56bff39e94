import { Webhook } from 'standardwebhooks';
import { expect, test } from 'vitest';
import { readEndpoints } from '../../hosts/local/runtime/endpoints-file';
import { runCli } from '../../testing/pipeline/cli-process';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';
import { waitFor } from '../../testing/wait-for';
import { startReceiver } from '../../testing/webhooks/receivers';

/**
 * `azl-rebuilder start --webhook` and the `webhooks` commands as processes, on the local pipeline (its
 * subscriptions in Azurite's tables). Nothing listens on the `start --webhook` URLs (subscribing does not call
 * them); the second test subscribes a real receiver and pings it through the real delivery path.
 */
const first = 'http://127.0.0.1:9/first';
const second = 'http://127.0.0.1:9/second';
const pipeline = useStartedPipeline('azl-webhooks-cli-', [
  '--no-demo',
  '--webhook',
  first,
  '--webhook',
  second,
]);

async function webhooks(...args: string[]): Promise<{ code: number | null; json: unknown; output: string }> {
  const run = runCli(['webhooks', ...args, '--local', '--data-dir', pipeline.dataDir]);
  const code = await run.exited;
  return { code, json: JSON.parse(run.stdout()) as unknown, output: run.output() };
}

test('start --webhook subscribes each URL to every event, prints id and secret, and keeps them in endpoints.json', async () => {
  await waitFor('the ready banner', () => pipeline.run.stdout().includes('azl-rebuilder is running'), {
    timeoutMs: 30_000,
    context: pipeline.run.output,
  });
  const recorded = readEndpoints(pipeline.dataDir)?.webhooks ?? [];
  expect(recorded.map((w) => w.url)).toEqual([first, second]);
  for (const webhook of recorded) {
    expect(webhook.secret).toMatch(/^whsec_/);
    expect(pipeline.run.stdout()).toContain(
      `webhook ${webhook.id} → ${webhook.url}\n  secret: ${webhook.secret}`,
    );
  }

  const listed = await webhooks('list');
  expect(listed.code, listed.output).toBe(0);
  const items = (listed.json as { items: { id: string; url: string; events: string[] }[] }).items;
  expect(items.map((item) => [item.id, item.url, item.events]).sort()).toEqual(
    recorded.map((w) => [w.id, w.url, ['*']]).sort(),
  );
  expect(JSON.stringify(listed.json)).not.toContain('whsec_');

  const removed = await webhooks('remove', recorded[0]!.id);
  expect(removed.code, removed.output).toBe(0);
  const after = await webhooks('list');
  expect((after.json as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([recorded[1]!.id]);
});

test('webhooks add, test, deliveries and redeliver against the running pipeline: the ping arrives, is logged and comes again', async () => {
  const receiver = await startReceiver((_request, response) => response.writeHead(204).end());
  try {
    const added = await webhooks('add', `${receiver.origin}/hook`, '--event', 'build.failed');
    expect(added.code, added.output).toBe(0);
    const { id, secret } = added.json as { id: string; secret: string };

    const pinged = await webhooks('test', id);
    expect(pinged.code, pinged.output).toBe(0);
    const { deliveryId, eventId } = pinged.json as { deliveryId: string; eventId: string };
    await waitFor('the ping at the receiver', () => receiver.received.length === 1, {
      timeoutMs: 30_000,
      context: pipeline.run.output,
    });
    const [ping] = receiver.received;
    const headers = Object.fromEntries(
      Object.entries(ping!.headers).map(([name, value]) => [name, String(value)]),
    );
    const body = new Webhook(secret).verify(ping!.body, headers) as { type: string; id: string };
    expect([body.type, body.id, headers['webhook-id']]).toEqual([
      'com.azurelinux.rebuilder.webhook.ping',
      eventId,
      eventId,
    ]);

    type Page = { attempts: { deliveryId: string; result: string; status: number; trigger: string }[] };
    const logged = async () => ((await webhooks('deliveries', id, '--json')).json as Page).attempts;
    await waitFor('the attempt in the log', async () => (await logged()).length === 1, { timeoutMs: 10_000 });
    expect(await logged()).toMatchObject([{ deliveryId, result: 'delivered', status: 204, trigger: 'ping' }]);

    const again = await webhooks('redeliver', id, deliveryId);
    expect([again.code, again.json]).toEqual([0, { deliveryId, round: 2 }]);
    await waitFor('the redelivery at the receiver', () => receiver.received.length === 2, {
      timeoutMs: 30_000,
    });
    expect(receiver.received[1]?.headers['webhook-id']).toBe(eventId);
  } finally {
    await receiver.close();
  }
});

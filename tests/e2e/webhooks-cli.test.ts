import { expect, test } from 'vitest';
import { readEndpoints } from '../../hosts/local/runtime/endpoints-file';
import { runCli } from '../../testing/pipeline/cli-process';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';
import { waitFor } from '../../testing/wait-for';

/**
 * `azl-rebuilder start --webhook` and the `webhooks` commands as processes, on the local pipeline (its
 * subscriptions in Azurite's tables). Nothing listens on the URLs: subscribing does not call them.
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

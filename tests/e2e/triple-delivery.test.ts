import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RabbitMqHandle } from '../../testing/rabbitmq/server';
import type { CliRun } from '../../testing/pipeline/cli-process';
import type { DatagrepperServer } from '../../testing/fedora/datagrepper-server';
import { serveFakeDatagrepper } from '../../testing/fedora/datagrepper-server';
import type { FixturePipeline } from '../../testing/pipeline/fixture-pipeline';
import {
  expectExactlyPublished,
  listAll,
  startFixturePipeline,
  waitUntilSettled,
} from '../../testing/pipeline/fixture-pipeline';
import { runCli } from '../../testing/pipeline/cli-process';
import { TestPublisher } from '../../testing/rabbitmq/publisher';
import { startTestRabbitMq } from '../../testing/rabbitmq/test-node';
import { FakeDatagrepper } from '../../testing/fedora/fake-datagrepper';
import { sentSecond, tagMessage } from '../../testing/fedora/wire-messages';

/**
 * One Fedora message reaching the pipeline three ways at once, as it does in production: Fedora's bridge
 * (`azl-rebuilder bridge` on a local RabbitMQ standing in for Fedora's broker), the datagrepper catch-up
 * (a fake datagrepper holding the same message, read by `POST /api/fedora/catch-up`) and an HTTP ingest POST.
 * Exactly one delivery is accepted, the two others are reported duplicates, and the component is planned,
 * built and published once.
 */
let rabbit: RabbitMqHandle;
let datagrepper: DatagrepperServer;
let pipeline: FixturePipeline;
let bridge: CliRun | undefined;
const fake = new FakeDatagrepper();

beforeAll(async () => {
  datagrepper = await serveFakeDatagrepper(fake);
  [rabbit, pipeline] = await Promise.all([
    startTestRabbitMq(),
    startFixturePipeline('azl-triple-', {
      args: ['--live'],
      env: { AZL_DATAGREPPER_URL: datagrepper.baseUrl },
    }),
  ]);
  const configFile = join(pipeline.dataDir, 'bridge.json');
  writeFileSync(configFile, JSON.stringify({ url: rabbit.url, vhost: '/', watchdogIdleMs: 0 }));
  bridge = runCli(['bridge', '--local', '--data-dir', pipeline.dataDir, '--config', configFile]);
  const deadline = Date.now() + 60_000;
  while (!bridge.output().includes('"consuming"')) {
    if (bridge.child.exitCode !== null || Date.now() > deadline)
      throw new Error(`the bridge is not consuming:\n${bridge.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 150_000);

afterAll(async () => {
  if (bridge && bridge.child.exitCode === null) {
    bridge.child.kill('SIGTERM');
    await bridge.exited;
  }
  await pipeline?.stop();
  await rabbit?.stop();
  await datagrepper?.close();
}, 60_000);

interface EventItem {
  readonly messageId: string | null;
  readonly source?: string;
}

test('the same tag message by HTTP ingest, the datagrepper catch-up and the AMQP bridge: one plan item, one build', async () => {
  const message = tagMessage('azl-greeter', '2.1', '2.fc43');
  fake.add([{ id: message.id, second: sentSecond(message), item: { ...message } }]);
  const publisher = await TestPublisher.open(rabbit.url);

  // All three at once: the deliveries race through the ingest ledger and the broker's duplicate detection.
  const [posted, caughtUp] = await Promise.all([
    fetch(`${pipeline.endpoints.apiBaseUrl}/fedora/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-functions-key': pipeline.endpoints.functionKey },
      body: JSON.stringify(message),
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { results: { outcome: string }[] },
    })),
    fetch(`${pipeline.endpoints.apiBaseUrl}/fedora/catch-up`, {
      method: 'POST',
      headers: { 'x-functions-key': pipeline.endpoints.functionKey },
    }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { outcomes: Record<string, number> },
    })),
    publisher.publish({ id: message.id, topic: message.topic, headers: message.headers, body: message.body }),
  ]);
  await publisher.close();
  expect(posted.status).toBe(202);
  expect(['accepted', 'duplicate']).toContain(posted.body.results[0]?.outcome);
  expect(caughtUp.status, JSON.stringify(caughtUp.body)).toBe(200);
  expect(caughtUp.body.outcomes['accepted']! + caughtUp.body.outcomes['duplicate']!).toBe(1);
  expect(datagrepper.requests()).toBeGreaterThan(0);

  // The bridge hands its delivery over on its own time: wait until every source's delivery is on record.
  const sources = ['amqp-bridge', 'datagrepper', 'http'];
  let accepted: EventItem[];
  let duplicates: EventItem[];
  const deadline = Date.now() + 30_000;
  for (;;) {
    accepted = (await listAll<EventItem>(pipeline, 'events?outcome=accepted')).filter(
      (e) => e.messageId === message.id,
    );
    duplicates = (await listAll<EventItem>(pipeline, 'events?outcome=duplicate')).filter(
      (e) => e.messageId === message.id,
    );
    const seen = new Set([...accepted, ...duplicates].map((e) => e.source));
    if (seen.size >= sources.length || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect(accepted, 'one accepted delivery').toHaveLength(1);
  // (A catch-up timer run may add a datagrepper duplicate of its own: sources, not rows, are compared.)
  const acceptedSource = accepted[0]?.source;
  expect(
    [...new Set([acceptedSource, ...duplicates.map((d) => d.source)])].sort(),
    'every source delivered it; the one not accepted are duplicates',
  ).toEqual(sources);
  expect(duplicates.map((d) => d.source)).toEqual(
    expect.arrayContaining(sources.filter((s) => s !== acceptedSource)),
  );
  if (acceptedSource !== 'http') expect(posted.body.results[0]?.outcome).toBe('duplicate');
  if (acceptedSource !== 'datagrepper') expect(caughtUp.body.outcomes['accepted']).toBe(0);

  await waitUntilSettled(pipeline, 1);
  await expectExactlyPublished(pipeline, ['azl-greeter'], ['azl-greeter-0:2.1-2.azl4.x86_64']);
}, 180_000);

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { RabbitMqHandle } from '../../testing/rabbitmq/server';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import type { CliRun } from '../../testing/pipeline/cli-process';
import {
  ephemeralPorts,
  processesMentioning,
  runCli,
  waitForEndpoints,
} from '../../testing/pipeline/cli-process';
import { waitForPendingEvents } from '../../testing/pipeline/pending-events';
import { envelope, TestPublisher } from '../../testing/rabbitmq/publisher';
import { startTestRabbitMq } from '../../testing/rabbitmq/test-node';
import { fixturePath } from '../../testing/fixtures/fixture-path';

/**
 * `azl-rebuilder bridge --local` as a user runs it: a local pipeline, a RabbitMQ standing in for Fedora's
 * broker, and a real fixture published on `amq.topic` that ends up, normalized, on the `ingest` queue.
 */
let dataDir: string;
let pipeline: CliRun;
let bridge: CliRun | undefined;
let rabbit: RabbitMqHandle;
let endpoints: Endpoints;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'azl-bridge-'));
  [rabbit] = await Promise.all([
    startTestRabbitMq(),
    (async () => {
      pipeline = runCli(['start', '--no-demo', '--data-dir', dataDir, ...ephemeralPorts]);
      endpoints = await waitForEndpoints(pipeline, dataDir);
    })(),
  ]);
}, 120_000);

afterAll(async () => {
  for (const run of [bridge, pipeline]) {
    if (run && run.child.exitCode === null) {
      run.child.kill('SIGINT');
      await run.exited;
    }
  }
  await rabbit?.stop();
  for (const pid of processesMentioning(dataDir)) process.kill(pid, 'SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

test('a message published on the broker reaches the planner through the bridge and ingest', async () => {
  const configFile = join(dataDir, 'bridge.json');
  writeFileSync(configFile, JSON.stringify({ url: rabbit.url, vhost: '/', watchdogIdleMs: 0 }));
  bridge = runCli(['bridge', '--local', '--data-dir', dataDir, '--config', configFile]);

  const body = JSON.parse(readFileSync(fixturePath('fedora-bridge', 'buildsys.tag.body.json'), 'utf8'));
  const message = envelope('org.fedoraproject.prod.buildsys.tag', 'koji_fedoramessaging.tag.TagV1', body);
  const publisher = await TestPublisher.open(rabbit.url);
  try {
    // The bridge binds its queue once it is connected; publish until it has taken the message. It goes on to
    // `ingest`, where the plan function keeps it pending (no distro tree is configured).
    let received;
    for (let attempt = 0; attempt < 40 && !received; attempt++) {
      await publisher.publish(message);
      const pending = await waitForPendingEvents(endpoints.storageConnectionString, [message.id ?? ''], 500);
      received = pending.find((e) => e.messageId === message.id);
    }
    expect(received).toMatchObject({ kind: 'tagged', packages: [body.name], tag: body.tag });
  } finally {
    await publisher.close();
  }
  bridge.child.kill('SIGTERM');
  expect(await bridge.exited).toBe(0);
}, 120_000);

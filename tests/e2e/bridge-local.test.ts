import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import type { CliRun } from '../../testing/pipeline/cli-process';
import { runCli } from '../../testing/pipeline/cli-process';
import { waitForPendingEvents } from '../../testing/pipeline/pending-events';
import { envelope, TestPublisher } from '../../testing/rabbitmq/publisher';
import { useTestRabbitMq } from '../../testing/rabbitmq/test-node';
import { useStartedPipeline } from '../../testing/pipeline/started-pipeline';
import { fixturePath } from '../../testing/fixtures/fixture-path';

/**
 * `azl-rebuilder bridge --local` as a user runs it: a local pipeline, a RabbitMQ standing in for Fedora's
 * broker, and a real fixture published on `amq.topic` that ends up, normalized, on the `ingest` queue.
 */
const rabbitmq = useTestRabbitMq();
const pipeline = useStartedPipeline('azl-bridge-');
let bridge: CliRun | undefined;

afterAll(async () => {
  if (bridge && bridge.child.exitCode === null) {
    bridge.child.kill('SIGINT');
    await bridge.exited;
  }
});

test('a message published on the broker reaches the planner through the bridge and ingest', async () => {
  const configFile = join(pipeline.dataDir, 'bridge.json');
  writeFileSync(configFile, JSON.stringify({ url: rabbitmq.node.url, vhost: '/', watchdogIdleMs: 0 }));
  bridge = runCli(['bridge', '--local', '--data-dir', pipeline.dataDir, '--config', configFile]);

  const body = JSON.parse(readFileSync(fixturePath('fedora-bridge', 'buildsys.tag.body.json'), 'utf8'));
  const message = envelope('org.fedoraproject.prod.buildsys.tag', 'koji_fedoramessaging.tag.TagV1', body);
  const publisher = await TestPublisher.open(rabbitmq.node.url);
  try {
    // The bridge binds its queue once it is connected; publish until it has taken the message. It goes on to
    // `ingest`, where the plan function keeps it pending (no distro tree is configured).
    let received;
    for (let attempt = 0; attempt < 40 && !received; attempt++) {
      await publisher.publish(message);
      const pending = await waitForPendingEvents(
        pipeline.endpoints.storageConnectionString,
        [message.id ?? ''],
        500,
      );
      received = pending.find((e) => e.messageId === message.id);
    }
    expect(received).toMatchObject({ kind: 'tagged', packages: [body.name], tag: body.tag });
  } finally {
    await publisher.close();
  }
  bridge.child.kill('SIGTERM');
  expect(await bridge.exited).toBe(0);
}, 120_000);

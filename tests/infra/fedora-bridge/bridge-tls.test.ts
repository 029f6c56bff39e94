import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startBridge } from '../../../infra/fedora-bridge';
import type { BridgeHandle } from '../../../infra/fedora-bridge';
import { isPortListening } from '../../../infra/local/free-port';
import type { RabbitMqHandle } from '../../../testing/rabbitmq/server';
import { startRabbitMq } from '../../../testing/rabbitmq/server';
import { silentLogger } from '../../../shared/logger';
import { makeTestPki, TestPublisher } from '../../../testing/rabbitmq/publisher';
import type { TestPki } from '../../../testing/rabbitmq/publisher';
import { envelopeFixture, RecordingSink, waitFor } from '../../../testing/fedora-bridge/helpers';

/**
 * The public-broker code path against a local copy of Fedora's set-up: amqps on `localhost` (host name checked
 * against the server certificate), a client certificate with CN=fedora authenticating through SASL EXTERNAL,
 * vhost /public_pubsub — everything the default configuration does except the host name and the files.
 */
describe('fedora bridge: amqps with SASL EXTERNAL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'azlr-bridge-tls-'));
  let pki: TestPki;
  let rabbit: RabbitMqHandle;
  let publisher: TestPublisher;
  const bridges: BridgeHandle[] = [];

  beforeAll(async () => {
    pki = makeTestPki(dir);
    rabbit = await startRabbitMq({
      tls: { caFile: pki.caFile, ...pki.server },
      vhosts: ['/public_pubsub'],
      externalUsers: ['fedora'],
      readyTimeoutMs: 90_000,
    });
    publisher = await TestPublisher.open(`${rabbit.url}/%2Fpublic_pubsub`);
  }, 120_000);
  afterEach(async () => {
    await Promise.all(bridges.splice(0).map((bridge) => bridge.stop()));
  });
  afterAll(async () => {
    await publisher?.close();
    await rabbit?.stop();
    rmSync(dir, { recursive: true, force: true });
    expect(rabbit.processes()).toEqual([]);
    expect(await isPortListening(rabbit.port)).toBe(false);
  });

  function tlsBridge(client: TestPki['client'], sink: RecordingSink, catchUps: { count: number }) {
    const bridge = startBridge(
      {
        url: `amqps://localhost:${rabbit.tlsPort}`,
        tls: { caFile: pki.caFile, ...client },
        reconnect: { initialMs: 100, maxMs: 500 },
        stopTimeoutMs: 5_000,
      },
      { sink, onConnected: async () => void (catchUps.count += 1), logger: silentLogger },
    );
    bridges.push(bridge);
    return bridge;
  }

  test('the client certificate logs in (EXTERNAL) and a real message flows through', async () => {
    const sink = new RecordingSink();
    const catchUps = { count: 0 };
    const bridge = tlsBridge(pki.client, sink, catchUps);
    await waitFor('the TLS connection', () => bridge.stats().state === 'connected' && catchUps.count === 1);
    const message = envelopeFixture('buildsys.build.state.change');
    await publisher.publish(message);
    await waitFor('the message', () => bridge.stats().acked === 1);
    expect(sink.taken).toEqual([
      { id: message.id, topic: message.topic, headers: message.headers, body: message.body },
    ]);
  });

  test('a certificate from another CA is refused: the bridge keeps retrying and says why', async () => {
    const catchUps = { count: 0 };
    const bridge = tlsBridge(pki.stranger, new RecordingSink(), catchUps);
    await waitFor('two failed attempts', () => bridge.stats().connectFailures >= 2);
    expect(bridge.stats()).toMatchObject({ connects: 0, state: expect.stringMatching(/waiting|connecting/) });
    expect(bridge.stats().lastError).toMatch(/^connect: /);
    expect(catchUps.count).toBe(0);
  });
});

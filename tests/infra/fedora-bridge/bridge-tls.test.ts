import { describe, expect, test } from 'vitest';
import { silentLogger } from '../../../shared/logger';
import { makeTestPki } from '../../../testing/rabbitmq/pki';
import type { TestPki } from '../../../testing/rabbitmq/pki';
import { waitFor } from '../../../testing/wait-for';
import { RecordingSink } from '../../../testing/fedora-bridge/recording-sink';
import { envelopeFixture } from '../../../testing/fedora-bridge/fixture-messages';
import { useTestRabbitMq } from '../../../testing/rabbitmq/test-node';
import { useBridges } from '../../../testing/fedora-bridge/bridges';
import { useTempDir } from '../../../testing/temp-dirs';

/**
 * The public-broker code path against a local copy of Fedora's set-up: amqps on `localhost` (host name checked
 * against the server certificate), a client certificate with CN=fedora authenticating through SASL EXTERNAL,
 * vhost /public_pubsub — everything the default configuration does except the host name and the files.
 */
describe('fedora bridge: amqps with SASL EXTERNAL', () => {
  const pki = makeTestPki(useTempDir('azlr-bridge-tls-'));
  const rabbitmq = useTestRabbitMq({
    node: {
      tls: { caFile: pki.caFile, ...pki.server },
      vhosts: ['/public_pubsub'],
      externalUsers: ['fedora'],
    },
    vhost: '/public_pubsub',
  });
  const bridges = useBridges();

  function tlsBridge(client: TestPki['client'], sink: RecordingSink, catchUps: { count: number }) {
    const bridge = bridges.start(
      {
        url: `amqps://localhost:${rabbitmq.node.tlsPort}`,
        tls: { caFile: pki.caFile, ...client },
        reconnect: { initialMs: 100, maxMs: 500 },
        stopTimeoutMs: 5_000,
      },
      { sink, onConnected: async () => void (catchUps.count += 1), logger: silentLogger },
    );
    return bridge;
  }

  test('the client certificate logs in (EXTERNAL) and a real message flows through', async () => {
    const sink = new RecordingSink();
    const catchUps = { count: 0 };
    const bridge = tlsBridge(pki.client, sink, catchUps);
    await waitFor('the TLS connection', () => bridge.stats().state === 'connected' && catchUps.count === 1);
    const message = envelopeFixture('buildsys.build.state.change');
    await rabbitmq.publisher.publish(message);
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

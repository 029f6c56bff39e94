import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { runBridgeProcess } from '../../../infra/fedora-bridge';
import type { BridgeConfigInput, BridgeHandle } from '../../../infra/fedora-bridge';
import { silentLogger } from '../../../shared/logger';
import { PipelineError } from '../../../shared/errors';
import { sentAt } from '../../../testing/rabbitmq/publisher';
import { waitFor } from '../../../testing/wait-for';
import { localBridgeConfig } from '../../../testing/fedora-bridge/bridges';
import { RecordingSink } from '../../../testing/fedora-bridge/recording-sink';
import { boundFixtures, envelopeFixture, tagMessage } from '../../../testing/fedora-bridge/fixture-messages';
import { useTestRabbitMq } from '../../../testing/rabbitmq/test-node';
import { useBridges } from '../../../testing/fedora-bridge/bridges';

/**
 * The bridge against a real RabbitMQ: what is published to amq.topic the way Fedora publishes it arrives at the
 * sink once, in the fedora-messaging wire form, and is acknowledged only after the sink took it.
 */
describe('fedora bridge: deliveries', () => {
  const rabbitmq = useTestRabbitMq();
  const bridges = useBridges();

  async function connectedBridge(sink: RecordingSink, overrides: Partial<BridgeConfigInput> = {}) {
    let catchUps = 0;
    const bridge = bridges.start(localBridgeConfig(rabbitmq.node.url, overrides), {
      sink,
      onConnected: async () => void (catchUps += 1),
      logger: silentLogger,
    });
    await waitFor('the bridge to consume', () => bridge.stats().state === 'connected' && catchUps === 1);
    return bridge;
  }

  test('each bound fixture reaches the sink once as {id, topic, headers, body}; an unbound topic does not', async () => {
    const sink = new RecordingSink();
    const bridge = await connectedBridge(sink);
    const bound = boundFixtures();
    const unbound = envelopeFixture('buildsys.rpm.sign');
    await rabbitmq.publisher.publish(...bound, unbound);

    await waitFor('every bound fixture', () => sink.taken.length >= bound.length);
    await waitFor('the acks', () => bridge.stats().acked === bound.length);
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for a duplicate or a stray to show up
    expect(sink.taken).toHaveLength(bound.length);
    for (const message of bound) {
      expect(sink.taken.filter((record) => record.id === message.id)).toEqual([
        { id: message.id, topic: message.topic, headers: message.headers, body: message.body },
      ]);
    }
    expect(sink.takenIds()).not.toContain(unbound.id);
    expect(bridge.stats()).toMatchObject({
      received: bound.length,
      acked: bound.length,
      requeued: 0,
      unparsed: 0,
    });
  });

  test('nested headers (x-received-from) survive the trip unchanged', async () => {
    const sink = new RecordingSink();
    const signed = envelopeFixture('buildsys.rpm.sign');
    await connectedBridge(sink, { bindings: [signed.topic] });
    await rabbitmq.publisher.publish(signed);
    await waitFor('the rpm.sign message', () => sink.taken.length === 1);
    expect(sink.taken[0]).toEqual({
      id: signed.id,
      topic: signed.topic,
      headers: signed.headers,
      body: signed.body,
    });
  });

  test('a non-JSON body and a message without message_id are forwarded for rejection, not dropped', async () => {
    const sink = new RecordingSink();
    const bridge = await connectedBridge(sink);
    const topic = 'org.fedoraproject.prod.buildsys.tag';
    const headers = {
      fedora_messaging_schema: 'base.message',
      fedora_messaging_severity: 20,
      'sent-at': sentAt(),
    };
    const notJsonId = randomUUID();
    await rabbitmq.publisher.publish(
      { id: notJsonId, topic, headers, content: Buffer.from('<html>502 Bad Gateway</html>') },
      { topic, headers, body: { tag: 'f44' } },
      { id: randomUUID(), topic, headers, content: Buffer.from([0xff, 0xfe, 0x00]) },
    );
    await waitFor('three records', () => sink.taken.length === 3);
    await waitFor('three acks', () => bridge.stats().acked === 3);
    expect(sink.taken[0]).toMatchObject({
      id: notJsonId,
      topic,
      headers,
      bridgeProblem: { reason: 'body-not-json', text: '<html>502 Bad Gateway</html>', bytes: 28 },
    });
    expect(sink.taken[0]).not.toHaveProperty('body');
    expect(sink.taken[1]).toMatchObject({
      topic,
      body: { tag: 'f44' },
      bridgeProblem: { reason: 'missing-id' },
    });
    expect(sink.taken[1]).not.toHaveProperty('id');
    expect(sink.taken[2]).toMatchObject({ bridgeProblem: { reason: 'body-not-utf8', base64: '//4A' } });
    expect(bridge.stats()).toMatchObject({ unparsed: 3, acked: 3 });
  });

  test('a sink failing transiently: the message is requeued and redelivered, acked only after submit succeeded', async () => {
    const ackedAtCall: number[] = [];
    const seen: { bridge?: BridgeHandle } = {};
    const sink = new RecordingSink(async (_record, call) => {
      ackedAtCall.push(seen.bridge?.stats().acked ?? -1);
      if (call <= 2) throw PipelineError.transient('servicebus.unavailable', 'Service Bus is busy');
    });
    const bridge = (seen.bridge = await connectedBridge(sink));
    const message = tagMessage();
    await rabbitmq.publisher.publish(message);

    await waitFor('the third attempt to succeed', () => sink.taken.length === 1);
    await waitFor('the ack', () => bridge.stats().acked === 1);
    expect(sink.calls.map((record) => (record as { id: string }).id)).toEqual([
      message.id,
      message.id,
      message.id,
    ]);
    expect(ackedAtCall).toEqual([0, 0, 0]); // nothing was acked while the sink had not taken it
    // The broker redelivered it twice: it had not been acknowledged.
    expect(bridge.stats()).toMatchObject({ received: 3, redelivered: 2, requeued: 2, acked: 1 });
    expect(sink.taken[0]).toMatchObject({ id: message.id, body: message.body });
  });

  test('stop() waits for an in-flight submit and acks it before closing', async () => {
    let release: () => void = () => undefined;
    const started: string[] = [];
    const sink = new RecordingSink(async (record) => {
      started.push(String(record.id));
      await new Promise<void>((resolve) => (release = resolve));
    });
    const bridge = await connectedBridge(sink);
    const message = tagMessage();
    await rabbitmq.publisher.publish(message);
    await waitFor('the submit to start', () => started.length === 1);

    let stopped = false;
    const stopping = bridge.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(stopped).toBe(false);
    expect(bridge.stats()).toMatchObject({ state: 'stopping', inFlight: 1, acked: 0 });
    release();
    await stopping;
    expect(bridge.stats()).toMatchObject({ state: 'stopped', inFlight: 0, acked: 1, ackLost: 0 });
    expect(sink.takenIds()).toEqual([message.id]);
  });

  test('runBridgeProcess consumes until a signal, then stops cleanly', async () => {
    const sink = new RecordingSink();
    let catchUps = 0;
    const running = runBridgeProcess(
      localBridgeConfig(rabbitmq.node.url),
      { sink, onConnected: async () => void (catchUps += 1), logger: silentLogger },
      { signals: ['SIGUSR2'], statsEveryMs: 0 },
    );
    await waitFor('the process bridge to consume', () => catchUps === 1);
    const message = tagMessage();
    await rabbitmq.publisher.publish(message);
    await waitFor('the message', () => sink.taken.length === 1);
    process.kill(process.pid, 'SIGUSR2');
    const final = await running;
    expect(final).toMatchObject({ state: 'stopped', acked: 1, inFlight: 0 });
    expect(process.listenerCount('SIGUSR2')).toBe(0);
  });
});

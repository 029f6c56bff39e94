import { describe, expect, test } from 'vitest';
import { silentLogger } from '../../../shared/logger';
import type { PublishedMessage } from '../../../testing/rabbitmq/publisher';
import { waitFor } from '../../../testing/wait-for';
import { localBridgeConfig } from '../../../testing/fedora-bridge/bridges';
import { RecordingSink } from '../../../testing/fedora-bridge/recording-sink';
import { tagMessage } from '../../../testing/fedora-bridge/fixture-messages';
import { useTestRabbitMq } from '../../../testing/rabbitmq/test-node';
import { useBridges } from '../../../testing/fedora-bridge/bridges';

/**
 * Connection loss and silence. The bridge's queue is exclusive and server-named: it lives and dies with the
 * bridge's connection, so what Fedora publishes while the bridge is disconnected never reaches that queue (by
 * design; Fedora's public broker allows nothing else). The pipeline covers that gap with the catch-up the
 * bridge runs on every (re)connect — so these tests check that `onConnected` runs on every connection and that
 * nothing published while the bridge was connected is lost.
 */
describe('fedora bridge: reconnects and watchdog', () => {
  const rabbitmq = useTestRabbitMq();
  const bridges = useBridges();

  function many(count: number): PublishedMessage[] {
    return Array.from({ length: count }, () => tagMessage());
  }

  test('broker restart mid-stream: reconnect with backoff, catch-up on every connect, nothing published while connected is lost', async () => {
    const sink = new RecordingSink();
    const catchUps: number[] = [];
    const bridge = bridges.start(localBridgeConfig(rabbitmq.node.url), {
      sink,
      onConnected: async () => void catchUps.push(Date.now()),
      logger: silentLogger,
    });
    await waitFor(
      'the first connection',
      () => bridge.stats().state === 'connected' && catchUps.length === 1,
    );
    const firstQueue = bridge.stats().queue;
    // A durable ledger queue on the publisher's side: the broker's own record of what it accepted, on disk.
    await rabbitmq.publisher.declareLedger('test-ledger');

    const before = many(20);
    await rabbitmq.publisher.publish(...before);
    await waitFor('the first batch', () => bridge.stats().acked === before.length);

    await rabbitmq.node.stopNode();
    expect(rabbitmq.node.processes()).toHaveLength(1); // only the private epmd is left; beam.smp and its helpers are gone
    await waitFor('the bridge to notice', () => bridge.stats().connectionLosses === 1);
    expect(bridge.stats().state).not.toBe('connected');
    const port = rabbitmq.node.port;
    await rabbitmq.node.startNode();
    expect(rabbitmq.node.port).toBe(port);
    await rabbitmq.publisher.reopen();
    // Same port and data directory: the durable ledger and its persistent messages survived the restart.
    expect(await rabbitmq.publisher.ledgerCount('test-ledger')).toBe(before.length);

    await waitFor('the reconnect', () => bridge.stats().state === 'connected' && catchUps.length === 2, {
      timeoutMs: 30_000,
    });
    const after = many(20);
    await rabbitmq.publisher.publish(...after);
    await waitFor('the second batch', () => bridge.stats().acked === before.length + after.length);

    const ids = sink.takenIds();
    for (const message of [...before, ...after])
      expect(ids.filter((id) => id === message.id)).toHaveLength(1);
    expect(ids).toHaveLength(before.length + after.length);
    const stats = bridge.stats();
    expect(stats).toMatchObject({ connects: 2, connectionLosses: 1, catchUpStarted: 2, catchUpSucceeded: 2 });
    expect(stats.connectFailures).toBeGreaterThanOrEqual(1); // it retried while the broker was down
    expect(stats.queue).not.toBe(firstQueue); // a new server-named queue
    expect(await rabbitmq.publisher.ledgerCount('test-ledger')).toBe(before.length + after.length);
  }, 90_000);

  test('a failing catch-up is retried while the connection lives', async () => {
    let calls = 0;
    const bridge = bridges.start(localBridgeConfig(rabbitmq.node.url), {
      sink: new RecordingSink(),
      onConnected: async () => {
        calls += 1;
        if (calls < 3) throw new Error('datagrepper unavailable');
      },
      logger: silentLogger,
    });
    await waitFor('the third catch-up attempt', () => bridge.stats().catchUpSucceeded === 1);
    expect(bridge.stats()).toMatchObject({ connects: 1, catchUpStarted: 3, catchUpFailed: 2 });
  });

  test('the watchdog recycles a consumer that received nothing for watchdogIdleMs, and the catch-up runs again', async () => {
    const sink = new RecordingSink();
    let catchUps = 0;
    const bridge = bridges.start(localBridgeConfig(rabbitmq.node.url, { watchdogIdleMs: 1_000 }), {
      sink,
      onConnected: async () => void (catchUps += 1),
      logger: silentLogger,
    });
    await waitFor('the first connection', () => bridge.stats().state === 'connected');
    const firstQueue = bridge.stats().queue;
    await waitFor('a recycle', () => bridge.stats().watchdogRecycles >= 1 && bridge.stats().connects >= 2);
    await waitFor(
      'the catch-up of the new connection',
      () => catchUps >= 2 && bridge.stats().state === 'connected',
    );
    expect(bridge.stats().queue).not.toBe(firstQueue);
    expect(bridge.stats().connectionLosses).toBe(0);

    // The fresh consumer works, and deliveries keep the watchdog quiet.
    const recycles = bridge.stats().watchdogRecycles;
    for (let i = 0; i < 4; i += 1) {
      await rabbitmq.publisher.publish(tagMessage());
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
    await waitFor('the messages', () => sink.taken.length === 4);
    expect(bridge.stats().watchdogRecycles).toBe(recycles);
  }, 60_000);
});

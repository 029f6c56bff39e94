import { expect } from 'vitest';
import { isPortListening } from '../../infra/local/free-port';
import { useStarted } from '../lifecycle';
import { TestPublisher } from './publisher';
import { startRabbitMq } from './server';
import type { RabbitMqHandle, RabbitMqOptions } from './server';

/**
 * A private RabbitMQ node (testing/rabbitmq/server.ts) for tests. Starting one takes 4-8 s, so a test file
 * starts one for all its tests; each file has its own node, ports and data directory, so files can run in
 * parallel.
 */
export function startTestRabbitMq(options: RabbitMqOptions = {}): Promise<RabbitMqHandle> {
  return startRabbitMq({ readyTimeoutMs: 90_000, ...options });
}

/** A node and a publisher on it, for the tests of a block. */
export interface TestRabbitMq {
  readonly node: RabbitMqHandle;
  /** Publishes the way a fedora-messaging publisher does, to `amq.topic` of `vhost`. */
  readonly publisher: TestPublisher;
}

export interface TestRabbitMqOptions {
  /** Node options beyond the test defaults (TLS, vhosts, users). */
  readonly node?: RabbitMqOptions;
  /** The vhost the publisher connects to; default `/`. */
  readonly vhost?: string;
}

/**
 * A node with a publisher, started before the block's tests and stopped after them; the stop is checked to
 * leave no process of the node and nothing listening on its port (a test suite that leaks brokers fails).
 */
export function useTestRabbitMq(options: TestRabbitMqOptions = {}): TestRabbitMq {
  const started = useStarted(
    'the test RabbitMQ',
    async () => {
      const node = await startTestRabbitMq(options.node);
      const vhost = options.vhost === undefined ? '' : `/${encodeURIComponent(options.vhost)}`;
      return { node, publisher: await TestPublisher.open(`${node.url}${vhost}`) };
    },
    async ({ node, publisher }) => {
      await publisher.close();
      await node.stop();
      expect(node.processes()).toEqual([]);
      expect(await isPortListening(node.port)).toBe(false);
    },
    { startMs: 120_000 },
  );
  return {
    get node() {
      return started().node;
    },
    get publisher() {
      return started().publisher;
    },
  };
}

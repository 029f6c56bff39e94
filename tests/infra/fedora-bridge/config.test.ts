import { describe, expect, test } from 'vitest';
import { parseBridgeConfig, rebuildRoutingKeys } from '../../../infra/fedora-bridge';
import { PipelineError } from '../../../shared/errors';

const publicBroker = {
  tls: {
    caFile: '/etc/fedora-messaging/cacert.pem',
    certFile: '/etc/fedora-messaging/fedora-cert.pem',
    keyFile: '/etc/fedora-messaging/fedora-key.pem',
  },
};

function problem(input: unknown): string {
  try {
    parseBridgeConfig(input);
  } catch (error) {
    expect(PipelineError.is(error, 'fedora-bridge.invalid-config')).toBe(true);
    expect((error as PipelineError).retryable).toBe(false);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('bridge configuration', () => {
  test("defaults are Fedora's public broker: amqps, SASL EXTERNAL, /public_pubsub, amq.topic, the rebuild topics", () => {
    const config = parseBridgeConfig(publicBroker);
    expect(config).toMatchObject({
      url: 'amqps://rabbitmq.fedoraproject.org',
      vhost: '/public_pubsub',
      exchange: 'amq.topic',
      sasl: 'external',
      prefetch: 25,
      heartbeatSeconds: 30,
      watchdogIdleMs: 600_000,
      reconnect: { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.2 },
      submitRetry: { initialMs: 1_000, maxMs: 30_000, factor: 2, jitter: 0.2 },
    });
    expect(config.bindings).toEqual(rebuildRoutingKeys('prod'));
    expect(config.bindings).toContain('org.fedoraproject.prod.buildsys.tag');
    expect(config.bindings).toContain('org.fedoraproject.prod.bodhi.update.request.stable');
    expect(config.bindings).toContain('org.fedoraproject.prod.bodhi.update.request.revoke');
    expect(config.bindings).toContain('org.release-monitoring.prod.anitya.project.version.update.v2');
    expect(config.bindings.some((key) => key.includes('rpm.sign') || key.endsWith('#'))).toBe(false);
  });

  test('fedora-messaging style URL with the vhost in its path is accepted when it agrees', () => {
    const config = parseBridgeConfig({
      ...publicBroker,
      url: 'amqps://fedora:@rabbitmq.fedoraproject.org/%2Fpublic_pubsub',
    });
    expect(config.vhost).toBe('/public_pubsub');
    expect(problem({ ...publicBroker, url: 'amqps://rabbitmq.fedoraproject.org/%2Fpubsub' })).toContain(
      'vhost',
    );
  });

  test('plain amqp:// with user and password means SASL PLAIN', () => {
    const config = parseBridgeConfig({ url: 'amqp://guest:guest@127.0.0.1:5672', vhost: '/' });
    expect(config.sasl).toBe('plain');
    expect(config.tls).toBeUndefined();
  });

  test('inconsistent settings are rejected with the field named', () => {
    expect(problem({ url: 'amqps://rabbitmq.fedoraproject.org', sasl: 'external' })).toContain(
      'SASL EXTERNAL',
    );
    expect(problem({ url: 'amqp://localhost', tls: { certFile: '/c', keyFile: '/k' } })).toContain('amqps');
    expect(problem({ url: 'amqps://h', tls: { certFile: '/c' } })).toContain('keyFile');
    expect(problem({ url: 'http://h' })).toContain('amqp');
    expect(problem({ url: 'amqp://h', vhost: '/', prefetch: 0 })).toContain('prefetch');
    expect(problem({ url: 'amqp://h', vhost: '/', bindings: [] })).toContain('bindings');
    expect(problem({ url: 'amqp://h', vhost: '/', reconnect: { initialMs: 5_000, maxMs: 1_000 } })).toContain(
      'maxMs',
    );
  });

  test('staging keys use the stg prefixes', () => {
    expect(rebuildRoutingKeys('stg')).toContain('org.fedoraproject.stg.buildsys.tag');
    expect(rebuildRoutingKeys('stg')).toContain(
      'org.release-monitoring.stg.anitya.project.version.update.v2',
    );
  });
});

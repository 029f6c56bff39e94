import type { InvocationContext } from '@azure/functions';
import { ServiceBusClient } from '@azure/service-bus';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { FunctionTable } from '../../../functions/table';
import type { RunningBroker } from '../../../infra/local/broker/broker';
import { startBroker } from '../../../infra/local/broker/broker';
import type { NamespaceConfig } from '../../../infra/local/broker/entity-config';
import { subscriptionPath } from '../../../infra/local/broker/entity-config';
import type { RunningLocalHost } from '../../../hosts/local/functions-host/local-host';
import { startLocalHost } from '../../../hosts/local/functions-host/local-host';
import { HOST_DEFAULTS } from '../../../hosts/local/functions-host/host-config';
import { silentLogger } from '../../../shared/logger';

const entity = {
  lockDurationMs: 2_000,
  duplicateDetectionWindowMs: 0,
  defaultTtlMs: 3_600_000,
  deadLetterOnExpiration: true,
};
const config: NamespaceConfig = {
  queues: [
    { ...entity, path: 'work', maxDeliveryCount: 3, requiresSession: false },
    { ...entity, path: 'ordered', maxDeliveryCount: 3, requiresSession: true },
  ],
  topics: [
    {
      path: 'events',
      duplicateDetectionWindowMs: 0,
      subscriptions: [
        { ...entity, path: subscriptionPath('events', 'log'), maxDeliveryCount: 3, requiresSession: false },
      ],
    },
  ],
};

const hostConfig = {
  functionTimeoutMs: 10_000,
  serviceBus: {
    maxConcurrentCalls: 4,
    maxConcurrentSessions: 2,
    maxAutoLockRenewalDurationMs: HOST_DEFAULTS.maxAutoLockRenewalDurationMs,
    sessionIdleTimeoutMs: 500,
    autoCompleteMessages: true,
  },
};

let broker: RunningBroker;
let host: RunningLocalHost | undefined;
let client: ServiceBusClient;

beforeEach(async () => {
  broker = await startBroker({ entities: config, tickMs: 50 });
  client = new ServiceBusClient(broker.connectionString);
});

afterEach(async () => {
  await host?.stop();
  host = undefined;
  await client.close();
  await broker.stop();
});

async function run(table: FunctionTable): Promise<void> {
  host = await startLocalHost({
    table,
    serviceBusConnections: { ServiceBusConnection: broker.connectionString },
    hostConfig,
    http: { port: 0, functionKeys: { default: 'k' } },
    logger: silentLogger,
  });
}

const until = async (condition: () => boolean, timeoutMs = 8_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 25));
  }
};

test('a handler that throws on its first delivery gets the message again with delivery count 2, then it completes', async () => {
  const seen: { body: unknown; deliveryCount: unknown; messageId: unknown }[] = [];
  await run([
    {
      kind: 'serviceBusQueue',
      name: 'flaky',
      connection: 'ServiceBusConnection',
      queueName: 'work',
      isSessionsEnabled: false,
      handler: (body: unknown, context: InvocationContext) => {
        const { deliveryCount, messageId } = context.triggerMetadata ?? {};
        seen.push({ body, deliveryCount, messageId });
        if (deliveryCount === 1) throw new Error('transient: try again');
      },
    },
  ]);
  await client.createSender('work').sendMessages({ body: { job: 1 }, messageId: 'm-1' });
  await until(() => seen.length >= 2 && broker.namespace.receiver('work').size === 0);
  expect(seen).toEqual([
    { body: { job: 1 }, deliveryCount: 1, messageId: 'm-1' },
    { body: { job: 1 }, deliveryCount: 2, messageId: 'm-1' },
  ]);
  expect(broker.namespace.receiver('work/$deadletterqueue').size).toBe(0);
});

test('a poison message ends in the dead-letter queue after the max delivery count, with the reason', async () => {
  let calls = 0;
  await run([
    {
      kind: 'serviceBusQueue',
      name: 'poisoned',
      connection: 'ServiceBusConnection',
      queueName: 'work',
      isSessionsEnabled: false,
      handler: () => {
        calls += 1;
        throw new Error('always fails');
      },
    },
  ]);
  await client.createSender('work').sendMessages({ body: 'poison', messageId: 'p-1' });
  await until(() => broker.namespace.receiver('work/$deadletterqueue').size === 1);
  expect(calls).toBe(3);
  const dlq = client.createReceiver('work', { subQueueType: 'deadLetter' });
  const [dead] = await dlq.receiveMessages(1, { maxWaitTimeInMs: 2_000 });
  expect(dead?.messageId).toBe('p-1');
  expect(dead?.deadLetterReason).toBe('MaxDeliveryCountExceeded');
  await dlq.close();
});

test('session functions see each session in order, one message at a time, and other sessions in parallel', async () => {
  const bySession = new Map<string, unknown[]>();
  let inFlightPerSession = 0;
  let maxInFlightPerSession = 0;
  await run([
    {
      kind: 'serviceBusQueue',
      name: 'ordered',
      connection: 'ServiceBusConnection',
      queueName: 'ordered',
      isSessionsEnabled: true,
      handler: async (body: unknown, context: InvocationContext) => {
        const sessionId = String(context.triggerMetadata?.sessionId);
        inFlightPerSession += sessionId === 'A' ? 1 : 0;
        maxInFlightPerSession = Math.max(maxInFlightPerSession, inFlightPerSession);
        await new Promise((r) => setTimeout(r, 20));
        bySession.set(sessionId, [...(bySession.get(sessionId) ?? []), body]);
        inFlightPerSession -= sessionId === 'A' ? 1 : 0;
      },
    },
  ]);
  const messages = [1, 2, 3, 4, 5].flatMap((n) => [
    { body: `a${n}`, sessionId: 'A' },
    { body: `b${n}`, sessionId: 'B' },
  ]);
  await client.createSender('ordered').sendMessages(messages);
  await until(() => (bySession.get('A')?.length ?? 0) === 5 && (bySession.get('B')?.length ?? 0) === 5);
  expect(bySession.get('A')).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
  expect(bySession.get('B')).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
  expect(maxInFlightPerSession).toBe(1);
});

test('topic subscription functions receive what is published on the topic', async () => {
  const received: unknown[] = [];
  await run([
    {
      kind: 'serviceBusTopic',
      name: 'eventLog',
      connection: 'ServiceBusConnection',
      topicName: 'events',
      subscriptionName: 'log',
      isSessionsEnabled: false,
      handler: (body: unknown) => {
        received.push(body);
      },
    },
  ]);
  await client
    .createSender('events')
    .sendMessages([{ body: { type: 'build.started' } }, { body: { type: 'build.succeeded' } }]);
  await until(() => received.length === 2);
  expect(received).toEqual([{ type: 'build.started' }, { type: 'build.succeeded' }]);
});

test('a trigger naming a connection that is not configured stops start-up with a clear error', async () => {
  await expect(
    startLocalHost({
      table: [
        {
          kind: 'serviceBusQueue',
          name: 'x',
          connection: 'Missing',
          queueName: 'work',
          isSessionsEnabled: false,
          handler: () => undefined,
        },
      ],
      serviceBusConnections: {},
      hostConfig,
      http: { port: 0, functionKeys: { default: 'k' } },
      logger: silentLogger,
    }),
  ).rejects.toMatchObject({ code: 'host.missing-connection', context: { setting: 'Missing' } });
});

test('a host started without http serves no HTTP, and refuses an HTTP function it would not serve', async () => {
  const received: unknown[] = [];
  host = await startLocalHost({
    table: [
      {
        kind: 'serviceBusQueue',
        name: 'work',
        connection: 'ServiceBusConnection',
        queueName: 'work',
        isSessionsEnabled: false,
        handler: (message: unknown) => void received.push(message),
      },
    ],
    serviceBusConnections: { ServiceBusConnection: broker.connectionString },
    hostConfig,
    logger: silentLogger,
  });
  expect(host.http).toBeUndefined();
  await client.createSender('work').sendMessages({ body: { n: 1 } });
  await until(() => received.length === 1);

  await expect(
    startLocalHost({
      table: [
        {
          kind: 'http',
          name: 'status',
          route: 'status',
          methods: ['GET'],
          authLevel: 'function',
          handler: () => ({ status: 200 }),
        },
      ],
      serviceBusConnections: {},
      hostConfig,
      logger: silentLogger,
    }),
  ).rejects.toMatchObject({ code: 'host.no-http', context: { functionName: 'status' } });
});

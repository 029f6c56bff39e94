import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { isServiceBusError, ServiceBusAdministrationClient, ServiceBusClient } from '@azure/service-bus';
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { aroundEach, beforeEach, describe as vitestDescribe, expect, test as vitestTest } from 'vitest';
import type { ServiceBusTarget } from '../../testing/broker/contract-target';
import { contractEntities as entities, serviceBusTarget } from '../../testing/broker/contract-target';
import { runSdkSteps } from '../../testing/broker/sdk-child';
import { ExclusiveGate } from '../../testing/exclusive-gate';

/**
 * The Service Bus contract: behaviour the pipeline relies on, written against the public `@azure/service-bus`
 * API only. It runs against the local broker, or against a real namespace when
 * AZL_CONTRACT_SERVICEBUS_CONNECTION_STRING is set (see testing/broker/contract-target.ts).
 */
/** What one test talks to: its target and its two clients. */
interface ContractClients {
  readonly target: ServiceBusTarget;
  readonly client: ServiceBusClient;
  /** Gives up quickly on "next session": used to drain sessions and to test the timeout. */
  readonly impatient: ServiceBusClient;
}

/** The clients of the test running in this async context (its hooks included). */
const current = new AsyncLocalStorage<ContractClients>();

/** Stands for the current test's `pick(clients)`: every property is read from it, methods bound to it. */
function ofCurrentTest<T extends object>(pick: (clients: ContractClients) => T): T {
  return new Proxy({} as T, {
    get(_, property) {
      const clients = current.getStore();
      if (!clients) throw new Error('the contract clients are only there inside a test');
      const object = pick(clients);
      const value: unknown = Reflect.get(object, property, object);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

const target = ofCurrentTest((clients) => clients.target);
const client = ofCurrentTest((clients) => clients.client);
const impatient = ofCurrentTest((clients) => clients.impatient);

/**
 * Locally every test gets a fresh broker, so the tests run concurrently (they spend most of their time
 * waiting for locks, schedules and receive timeouts); on a real namespace the tests share its entities, so
 * they run one at a time and the entities are drained before each.
 */
const describe = process.env.AZL_CONTRACT_SERVICEBUS_CONNECTION_STRING
  ? vitestDescribe
  : vitestDescribe.concurrent;

const gate = new ExclusiveGate();
/** A test that runs alongside the others (locally). */
const test = (name: string, body: () => Promise<void>) => vitestTest(name, () => gate.shared(body));
/**
 * A test whose assertions bound the time its steps take (a lock renewed before it expires, a message peeked
 * before its scheduled time): it runs with no other test running, so no other broker's work delays it.
 */
const testAlone = (name: string, body: () => Promise<void>) => vitestTest(name, () => gate.exclusive(body));

aroundEach(async (runTest) => {
  const started = await serviceBusTarget();
  const clients: ContractClients = {
    target: started,
    client: new ServiceBusClient(started.connectionString, {
      retryOptions: { maxRetries: 1, retryDelayInMs: 100 },
    }),
    impatient: new ServiceBusClient(started.connectionString, {
      retryOptions: { maxRetries: 0, timeoutInMs: 1_500 },
    }),
  };
  try {
    await current.run(clients, runTest);
  } finally {
    await clients.client.close();
    await clients.impatient.close();
    await started.stop();
  }
});

beforeEach(async () => {
  if (target.isLocal) return;
  await drain(entities.queue);
  await drain(`${entities.queue}/$deadletterqueue`);
  for (const sub of entities.subscriptions) await drain(`${entities.topic}/subscriptions/${sub}`);
  await drainSessions();
});

async function drain(path: string): Promise<void> {
  const [entity, ...rest] = path.split('/');
  const receiver =
    rest[0] === 'subscriptions'
      ? client.createReceiver(entity!, rest[1]!, {
          receiveMode: 'receiveAndDelete',
          ...(rest[2] ? { subQueueType: 'deadLetter' as const } : {}),
        })
      : client.createReceiver(entity!, {
          receiveMode: 'receiveAndDelete',
          ...(rest[0] ? { subQueueType: 'deadLetter' as const } : {}),
        });
  while ((await receiver.receiveMessages(50, { maxWaitTimeInMs: 200 })).length > 0);
  await receiver.close();
}

async function drainSessions(): Promise<void> {
  for (;;) {
    let receiver;
    try {
      receiver = await impatient.acceptNextSession(entities.sessions, { receiveMode: 'receiveAndDelete' });
    } catch {
      return;
    }
    while ((await receiver.receiveMessages(50, { maxWaitTimeInMs: 200 })).length > 0);
    await receiver.close();
  }
}

async function receiveOne(receiver: ServiceBusReceiver, waitMs = 5_000): Promise<ServiceBusReceivedMessage> {
  const [message] = await receiver.receiveMessages(1, { maxWaitTimeInMs: waitMs });
  if (!message) throw new Error('no message arrived');
  return message;
}

type Received = ServiceBusReceivedMessage;

/**
 * Receives in batches of 10 (more than the tests send, so every batch ends by draining the leftover credit)
 * until `count` messages arrived; a real namespace may split them over several batches.
 */
async function receiveBatch(receiver: ServiceBusReceiver, count: number): Promise<Received[]> {
  const received: Received[] = [];
  while (received.length < count) {
    const got = await receiver.receiveMessages(10, { maxWaitTimeInMs: 1_000 });
    if (got.length === 0) throw new Error(`only ${received.length} of ${count} messages arrived`);
    received.push(...got);
  }
  return received;
}

const sleepUntil = (time: Date | undefined, marginMs = 400) =>
  new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, (time?.getTime() ?? Date.now()) - Date.now()) + marginMs),
  );

describe('sending and peek-lock receiving', () => {
  test('a single message keeps its body, ids, properties and gets a lock token and sequence number', async () => {
    const messageId = randomUUID();
    await client.createSender(entities.queue).sendMessages({
      messageId,
      body: { hello: 'world', n: 1 },
      contentType: 'application/json',
      correlationId: 'corr-1',
      subject: 'greeting',
      applicationProperties: { origin: 'contract', attempt: 7 },
    });
    const receiver = client.createReceiver(entities.queue);
    const message = await receiveOne(receiver);
    expect(message.body).toEqual({ hello: 'world', n: 1 });
    expect(message.messageId).toBe(messageId);
    expect(message.correlationId).toBe('corr-1');
    expect(message.subject).toBe('greeting');
    expect(message.contentType).toBe('application/json');
    expect(message.applicationProperties).toMatchObject({ origin: 'contract', attempt: 7 });
    expect(message.lockToken).toMatch(/^[0-9a-f-]{36}$/);
    expect(message.sequenceNumber?.toNumber()).toBeGreaterThan(0);
    expect(message.enqueuedTimeUtc).toBeInstanceOf(Date);
    expect(message.lockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());
    expect(message.deliveryCount).toBe(0);
    await receiver.completeMessage(message);
    expect(await receiver.peekMessages(10)).toHaveLength(0);
    await receiver.close();
  });

  test('batched sends arrive as separate messages, in order', async () => {
    const sender = client.createSender(entities.queue);
    await sender.sendMessages([{ body: 'a' }, { body: 'b' }]);
    const batch = await sender.createMessageBatch();
    for (const body of ['c', 'd', 'e']) expect(batch.tryAddMessage({ body })).toBe(true);
    await sender.sendMessages(batch);
    const receiver = client.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    const bodies: unknown[] = [];
    while (bodies.length < 5) {
      const got = await receiver.receiveMessages(10, { maxWaitTimeInMs: 2_000 });
      if (got.length === 0) break;
      bodies.push(...got.map((m) => m.body));
    }
    expect(bodies).toEqual(['a', 'b', 'c', 'd', 'e']);
    const ids = (await receiver.peekMessages(1)).length;
    expect(ids).toBe(0);
    await receiver.close();
  });

  test('one receiver can receive and complete thousands of messages (deliveries are freed once settled)', async () => {
    const sender = client.createSender(entities.queue);
    const total = 2_500;
    for (let i = 0; i < total; i += 250) {
      await sender.sendMessages(Array.from({ length: 250 }, (_, j) => ({ body: i + j })));
    }
    const receiver = client.createReceiver(entities.queue);
    let completed = 0;
    while (completed < total) {
      const got = await receiver.receiveMessages(250, { maxWaitTimeInMs: 2_000 });
      if (got.length === 0) break;
      await Promise.all(got.map((m) => receiver.completeMessage(m)));
      completed += got.length;
    }
    expect(completed).toBe(total);
    await receiver.close();
  });

  test('the broker assigns a message id when the sender sets none', async () => {
    await client.createSender(entities.queue).sendMessages({ body: 'no id' });
    const receiver = client.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    const message = await receiveOne(receiver);
    expect(typeof message.messageId === 'string' && message.messageId.length > 0).toBe(true);
    await receiver.close();
  });

  test('abandon makes the message available again with a higher delivery count', async () => {
    await client.createSender(entities.queue).sendMessages({ body: 'again' });
    const receiver = client.createReceiver(entities.queue);
    const first = await receiveOne(receiver);
    await receiver.abandonMessage(first, { note: 'retry' });
    const second = await receiveOne(receiver);
    expect(second.body).toBe('again');
    expect(second.deliveryCount).toBe(1);
    expect(second.applicationProperties).toMatchObject({ note: 'retry' });
    expect(second.lockToken).not.toBe(first.lockToken);
    await receiver.completeMessage(second);
    await receiver.close();
  });

  test('after maxDeliveryCount deliveries the message moves to the dead-letter queue with the reason', async () => {
    const messageId = randomUUID();
    await client.createSender(entities.queue).sendMessages({ body: 'poison', messageId });
    const receiver = client.createReceiver(entities.queue);
    const counts: number[] = [];
    for (let i = 0; i < entities.maxDeliveryCount; i++) {
      const message = await receiveOne(receiver);
      counts.push(message.deliveryCount ?? -1);
      await receiver.abandonMessage(message);
    }
    expect(counts).toEqual([0, 1, 2]);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 500 })).toHaveLength(0);
    const dlq = client.createReceiver(entities.queue, { subQueueType: 'deadLetter' });
    const dead = await receiveOne(dlq);
    expect(dead.messageId).toBe(messageId);
    expect(dead.deadLetterReason).toBe('MaxDeliveryCountExceeded');
    expect(dead.deadLetterErrorDescription).toMatch(/delivery/i);
    expect(dead.deadLetterSource).toBe(entities.queue);
    await dlq.completeMessage(dead);
    await receiver.close();
    await dlq.close();
  });

  test('explicit dead-lettering keeps the reason and description', async () => {
    await client.createSender(entities.queue).sendMessages({ body: { bad: true } });
    const receiver = client.createReceiver(entities.queue);
    const message = await receiveOne(receiver);
    await receiver.deadLetterMessage(message, {
      deadLetterReason: 'schema.invalid',
      deadLetterErrorDescription: 'body.topic: Required',
    });
    const dlq = client.createReceiver(entities.queue, { subQueueType: 'deadLetter' });
    const dead = await receiveOne(dlq);
    expect(dead.body).toEqual({ bad: true });
    expect(dead.deadLetterReason).toBe('schema.invalid');
    expect(dead.deadLetterErrorDescription).toBe('body.topic: Required');
    await dlq.completeMessage(dead);
    await receiver.close();
    await dlq.close();
  });

  test('receive-and-delete removes the message on delivery', async () => {
    await client.createSender(entities.queue).sendMessages({ body: 'once' });
    const receiver = client.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    expect((await receiveOne(receiver)).body).toBe('once');
    expect(await receiver.peekMessages(5)).toHaveLength(0);
    await receiver.close();
  });
});

describe('locks', () => {
  test('an expired lock makes the message available again, and settling with the lost lock fails', async () => {
    await client.createSender(entities.queue).sendMessages({ body: 'slow' });
    const receiver = client.createReceiver(entities.queue, { maxAutoLockRenewalDurationInMs: 0 });
    const first = await receiveOne(receiver);
    await sleepUntil(first.lockedUntilUtc);
    const second = await receiveOne(receiver);
    expect(second.body).toBe('slow');
    expect(second.deliveryCount).toBe(1);
    await expect(receiver.completeMessage(first)).rejects.toMatchObject({ code: 'MessageLockLost' });
    await receiver.completeMessage(second);
    await receiver.close();
  });

  testAlone('renewing a lock extends it, and the message is not redelivered meanwhile', async () => {
    await client.createSender(entities.queue).sendMessages({ body: 'long work' });
    const receiver = client.createReceiver(entities.queue, { maxAutoLockRenewalDurationInMs: 0 });
    const message = await receiveOne(receiver);
    const firstUntil = message.lockedUntilUtc!;
    const lockMs = firstUntil.getTime() - Date.now();
    await new Promise((r) => setTimeout(r, lockMs / 2));
    const renewed = await receiver.renewMessageLock(message);
    expect(renewed.getTime()).toBeGreaterThan(firstUntil.getTime());
    await sleepUntil(firstUntil, 100);
    const other = client.createReceiver(entities.queue);
    expect(await other.receiveMessages(1, { maxWaitTimeInMs: lockMs / 5 })).toHaveLength(0);
    await receiver.completeMessage(message);
    await other.close();
    await receiver.close();
  });
});

describe('scheduling, peeking and deferral', () => {
  testAlone('a scheduled message stays invisible until its time, and can be cancelled', async () => {
    const sender = client.createSender(entities.queue);
    const at = new Date(Date.now() + 1_500);
    const [kept] = await sender.scheduleMessages({ body: 'later' }, at);
    const [cancelled] = await sender.scheduleMessages({ body: 'never' }, at);
    await sender.cancelScheduledMessages(cancelled!);
    const peeked = await client.createReceiver(entities.queue).peekMessages(10);
    expect(peeked.map((m) => [m.body, m.state])).toEqual([['later', 'scheduled']]);
    expect(peeked[0]!.sequenceNumber!.toNumber()).toBe(kept!.toNumber());
    const receiver = client.createReceiver(entities.queue);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    await sleepUntil(at, 200);
    const message = await receiveOne(receiver);
    expect(message.body).toBe('later');
    expect(message.scheduledEnqueueTimeUtc?.getTime()).toBe(at.getTime());
    await receiver.completeMessage(message);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    await receiver.close();
  });

  test('peek shows messages in order without locking them', async () => {
    await client.createSender(entities.queue).sendMessages([{ body: 1 }, { body: 2 }, { body: 3 }]);
    const receiver = client.createReceiver(entities.queue);
    const peeked = await receiver.peekMessages(2);
    expect(peeked.map((m) => m.body)).toEqual([1, 2]);
    expect(peeked[0]!.lockToken).toBeUndefined();
    const more = await receiver.peekMessages(5);
    expect(more.map((m) => m.body)).toEqual([3]);
    const received = await receiveOne(receiver);
    expect(received.body).toBe(1);
    await receiver.completeMessage(received);
    await receiver.close();
  });

  test('a deferred message is received again only by its sequence number', async () => {
    await client.createSender(entities.queue).sendMessages({ body: 'wait for it' });
    const receiver = client.createReceiver(entities.queue);
    const message = await receiveOne(receiver);
    await receiver.deferMessage(message);
    expect(
      (await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).map((m) => [
        m.body,
        m.deliveryCount,
        m.sequenceNumber?.toNumber(),
        message.sequenceNumber?.toNumber(),
      ]),
    ).toEqual([]);
    const [deferred] = await receiver.receiveDeferredMessages(message.sequenceNumber!);
    expect(deferred!.body).toBe('wait for it');
    expect(deferred!.state).toBe('deferred');
    await receiver.completeMessage(deferred!);
    expect(await receiver.peekMessages(5)).toHaveLength(0);
    await receiver.close();
  });
});

describe('duplicate detection', () => {
  test('a second message with the same id within the window is dropped', async () => {
    const sender = client.createSender(entities.queue);
    const messageId = randomUUID();
    await sender.sendMessages({ body: 'first', messageId });
    await sender.sendMessages({ body: 'second', messageId });
    await sender.sendMessages({ body: 'other', messageId: randomUUID() });
    const receiver = client.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    const bodies = (await receiver.receiveMessages(10, { maxWaitTimeInMs: 1_000 })).map((m) => m.body);
    expect(bodies).toEqual(['first', 'other']);
    await receiver.close();
  });
});

describe('sessions', () => {
  test('a session receiver gets its session in order, holds it exclusively, and keeps session state', async () => {
    const sender = client.createSender(entities.sessions);
    await sender.sendMessages([
      { body: 'a1', sessionId: 'A' },
      { body: 'b1', sessionId: 'B' },
      { body: 'a2', sessionId: 'A' },
      { body: 'a3', sessionId: 'A' },
    ]);
    const a = await client.acceptSession(entities.sessions, 'A');
    expect(a.sessionId).toBe('A');
    expect(a.sessionLockedUntilUtc!.getTime()).toBeGreaterThan(Date.now());
    await expect(impatient.acceptSession(entities.sessions, 'A')).rejects.toMatchObject({
      code: 'SessionCannotBeLocked',
    });
    const bodies: unknown[] = [];
    while (bodies.length < 3) {
      const got = await a.receiveMessages(3, { maxWaitTimeInMs: 1_000 });
      if (got.length === 0) break;
      for (const m of got) {
        bodies.push(m.body);
        await a.completeMessage(m);
      }
    }
    expect(bodies).toEqual(['a1', 'a2', 'a3']);
    await a.setSessionState({ cursor: 3 });
    expect(await a.getSessionState()).toEqual({ cursor: 3 });
    await a.close();

    const next = await client.acceptNextSession(entities.sessions);
    expect(next.sessionId).toBe('B');
    const b1 = await receiveOne(next);
    expect(b1.body).toBe('b1');
    expect(b1.sessionId).toBe('B');
    await next.completeMessage(b1);
    await next.close();

    const again = await client.acceptSession(entities.sessions, 'A');
    expect(await again.getSessionState()).toEqual({ cursor: 3 });
    await again.setSessionState(null);
    await again.close();
  });

  test('the session lock can be renewed, and accepting the next session waits for one to arrive', async () => {
    const pending = client.acceptNextSession(entities.sessions);
    await new Promise((r) => setTimeout(r, 400));
    await client.createSender(entities.sessions).sendMessages({ body: 'late', sessionId: 'C' });
    const receiver = await pending;
    expect(receiver.sessionId).toBe('C');
    const before = receiver.sessionLockedUntilUtc!.getTime();
    await new Promise((r) => setTimeout(r, 200));
    await receiver.renewSessionLock();
    expect(receiver.sessionLockedUntilUtc!.getTime()).toBeGreaterThan(before);
    const message = await receiveOne(receiver);
    await receiver.completeMessage(message);
    await receiver.close();
  });

  // receiveMessages asks for more than the session holds, so the SDK drains the leftover credit at the end of
  // each batch: the receiver must stay open, holding its session, so that its messages can be settled.
  const acceptors = {
    acceptNextSession: () => client.acceptNextSession(entities.sessions),
    acceptSession: () => client.acceptSession(entities.sessions, 'P'),
  };
  for (const how of Object.keys(acceptors) as (keyof typeof acceptors)[])
    test(`a peek-lock session receiver from ${how} settles a batch and receives again on the same receiver`, async () => {
      await client.createSender(entities.sessions).sendMessages([
        { body: 'done', sessionId: 'P', messageId: 'p1' },
        { body: 'retry', sessionId: 'P', messageId: 'p2' },
        { body: 'poison', sessionId: 'P', messageId: 'p3' },
      ]);
      const receiver = await acceptors[how]();
      expect(receiver.sessionId).toBe('P');
      const batch = await receiveBatch(receiver, 3);
      expect(batch.map((m) => m.body)).toEqual(['done', 'retry', 'poison']);
      expect(receiver.isClosed).toBe(false);
      const [done, retry, poison] = batch as [Received, Received, Received];
      await receiver.completeMessage(done);
      await receiver.abandonMessage(retry);
      await receiver.deadLetterMessage(poison, {
        deadLetterReason: 'build.unparseable',
        deadLetterErrorDescription: 'spec: missing Version',
      });

      const again = await receiveBatch(receiver, 1);
      expect(again.map((m) => [m.messageId, m.sessionId, m.deliveryCount])).toEqual([['p2', 'P', 1]]);
      await receiver.completeMessage(again[0]!);
      expect(await receiver.receiveMessages(10, { maxWaitTimeInMs: 300 })).toHaveLength(0);
      expect(await receiver.peekMessages(10)).toHaveLength(0);
      await receiver.close();

      const dlq = client.createReceiver(entities.sessions, { subQueueType: 'deadLetter' });
      const dead = await receiveOne(dlq);
      expect([dead.messageId, dead.sessionId, dead.body]).toEqual(['p3', 'P', 'poison']);
      expect(dead.deadLetterReason).toBe('build.unparseable');
      expect(dead.deadLetterErrorDescription).toBe('spec: missing Version');
      await dlq.completeMessage(dead);
      await dlq.close();
    });

  testAlone('after a batch receive the session lock can be renewed and session state kept', async () => {
    await client.createSender(entities.sessions).sendMessages([
      { body: 'r1', sessionId: 'R' },
      { body: 'r2', sessionId: 'R' },
    ]);
    const receiver = await client.acceptSession(entities.sessions, 'R', {
      maxAutoLockRenewalDurationInMs: 0,
    });
    const batch = await receiveBatch(receiver, 2);
    const before = receiver.sessionLockedUntilUtc!.getTime();
    await new Promise((r) => setTimeout(r, 50));
    const renewed = await receiver.renewSessionLock();
    expect(renewed.getTime()).toBeGreaterThan(before);
    expect(receiver.sessionLockedUntilUtc!.getTime()).toBe(renewed.getTime());
    await receiver.setSessionState({ seen: batch.length });
    expect(await receiver.getSessionState()).toEqual({ seen: 2 });
    for (const message of batch) await receiver.completeMessage(message);
    expect(await receiver.peekMessages(10)).toHaveLength(0);
    await receiver.setSessionState(null);
    await receiver.close();
  });

  test('accepting the next session when there is none fails with a timeout', async () => {
    await expect(impatient.acceptNextSession(entities.sessions)).rejects.toMatchObject({
      code: 'ServiceTimeout',
    });
  });
});

describe('topics and entities', () => {
  test('a message sent to a topic reaches every subscription', async () => {
    await client.createSender(entities.topic).sendMessages({ body: { event: 'build.succeeded' } });
    for (const sub of entities.subscriptions) {
      const receiver = client.createReceiver(entities.topic, sub);
      const message = await receiveOne(receiver);
      expect(message.body).toEqual({ event: 'build.succeeded' });
      await receiver.completeMessage(message);
      await receiver.close();
    }
  });

  test('an unknown entity gives the SDK not-found error', async () => {
    const error = await client
      .createSender('no-such-queue')
      .sendMessages({ body: 'x' })
      .catch((e: unknown) => e);
    expect(isServiceBusError(error) && error.code).toBe('MessagingEntityNotFound');
    const receiveError = await client
      .createReceiver('no-such-queue')
      .receiveMessages(1, { maxWaitTimeInMs: 500 })
      .catch((e: unknown) => e);
    expect(isServiceBusError(receiveError) && receiveError.code).toBe('MessagingEntityNotFound');
  });
});

// Issue 21 item 1: a delivery is counted whenever a message is handed out, deferred ones included.
describe('delivery counts of deferred and dead-lettered messages', () => {
  async function sendAndDefer(receiver: ServiceBusReceiver, message: { body: string; sessionId?: string }) {
    await client.createSender(message.sessionId ? entities.sessions : entities.queue).sendMessages(message);
    const received = await receiveOne(receiver);
    expect(received.deliveryCount).toBe(0);
    await receiver.deferMessage(received);
    return received.sequenceNumber!;
  }

  test('receiving a deferred message by sequence number is a delivery; abandoned, it stays deferred', async () => {
    const receiver = client.createReceiver(entities.queue);
    const sequenceNumber = await sendAndDefer(receiver, { body: 'deferred' });
    const [first] = await receiver.receiveDeferredMessages(sequenceNumber);
    expect([first!.body, first!.state, first!.deliveryCount]).toEqual(['deferred', 'deferred', 1]);
    await receiver.abandonMessage(first!);
    expect((await receiver.peekMessages(5)).map((m) => m.state)).toEqual(['deferred']);
    expect(await receiver.receiveMessages(1, { maxWaitTimeInMs: 300 })).toHaveLength(0);
    const [second] = await receiver.receiveDeferredMessages(sequenceNumber);
    expect(second!.deliveryCount).toBe(2);
    await receiver.deferMessage(second!);
    const [third] = await receiver.receiveDeferredMessages(sequenceNumber);
    expect(third!.deliveryCount).toBe(3);
    await receiver.completeMessage(third!);
    expect(await receiver.peekMessages(5)).toHaveLength(0);
    await receiver.close();
  });

  test('in receive-and-delete mode, receiving a deferred message is a delivery that removes it', async () => {
    const peekLock = client.createReceiver(entities.queue);
    const sequenceNumber = await sendAndDefer(peekLock, { body: 'take it' });
    const receiveAndDelete = client.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    const [taken] = await receiveAndDelete.receiveDeferredMessages(sequenceNumber);
    expect([taken!.body, taken!.deliveryCount]).toEqual(['take it', 1]);
    expect(await peekLock.peekMessages(5)).toHaveLength(0);
    await receiveAndDelete.close();
    await peekLock.close();
  });

  test('on a session entity, receiving a deferred message through the session is a delivery', async () => {
    const receiver = await client.acceptSession(entities.sessions, 'D');
    const sequenceNumber = await sendAndDefer(receiver, { body: 'session deferred', sessionId: 'D' });
    const [first] = await receiver.receiveDeferredMessages(sequenceNumber);
    expect([first!.sessionId, first!.deliveryCount]).toEqual(['D', 1]);
    await receiver.abandonMessage(first!);
    const [second] = await receiver.receiveDeferredMessages(sequenceNumber);
    expect(second!.deliveryCount).toBe(2);
    await receiver.completeMessage(second!);
    expect(await receiver.peekMessages(5)).toHaveLength(0);
    await receiver.close();
  });

  test('a dead-lettered message keeps its count, and the dead-letter queue does not count its own deliveries', async () => {
    const receiver = client.createReceiver(entities.queue);
    const sequenceNumber = await sendAndDefer(receiver, { body: 'to the dlq' });
    const [deferred] = await receiver.receiveDeferredMessages(sequenceNumber);
    await receiver.deadLetterMessage(deferred!);
    await client.createSender(entities.queue).sendMessages({ body: 'plain' });
    const plain = await receiveOne(receiver);
    await receiver.deadLetterMessage(plain);

    const dlq = client.createReceiver(entities.queue, { subQueueType: 'deadLetter' });
    const dead = await receiveBatch(dlq, 2);
    expect(dead.map((m) => [m.body, m.deliveryCount])).toEqual([
      ['to the dlq', 1],
      ['plain', 0],
    ]);
    for (const message of dead) await dlq.abandonMessage(message);
    const again = await receiveBatch(dlq, 2);
    expect(again.map((m) => [m.body, m.deliveryCount])).toEqual([
      ['to the dlq', 1],
      ['plain', 0],
    ]);
    for (const message of again) await dlq.completeMessage(message);
    await dlq.close();
    await receiver.close();
  });
});

// Issue 21 item 2: on a session entity, a message's lock is the session's lock.
describe('message locks on session entities', () => {
  testAlone(
    'a message received through a session stays locked while the session lock is renewed',
    async () => {
      await client.createSender(entities.sessions).sendMessages({ body: 'long job', sessionId: 'L' });
      const receiver = await client.acceptSession(entities.sessions, 'L', {
        maxAutoLockRenewalDurationInMs: 0,
      });
      const message = await receiveOne(receiver);
      const lockMs = receiver.sessionLockedUntilUtc!.getTime() - Date.now();
      // Twice the lock duration, renewing the session lock (never the message's) every half lock duration.
      for (let i = 0; i < 4; i++) {
        await new Promise((r) => setTimeout(r, lockMs / 2));
        await receiver.renewSessionLock();
      }
      await receiver.completeMessage(message);
      expect(await receiver.peekMessages(5)).toHaveLength(0);
      await receiver.close();
    },
  );

  test('settling after the session lock expired fails with SessionLockLost; the message comes back counted', async () => {
    await client.createSender(entities.sessions).sendMessages({ body: 'too slow', sessionId: 'E' });
    const receiver = await client.acceptSession(entities.sessions, 'E', {
      maxAutoLockRenewalDurationInMs: 0,
    });
    const message = await receiveOne(receiver);
    await sleepUntil(receiver.sessionLockedUntilUtc);
    await expect(receiver.completeMessage(message)).rejects.toMatchObject({ code: 'SessionLockLost' });
    await receiver.close();

    const again = await client.acceptSession(entities.sessions, 'E');
    const redelivered = await receiveOne(again);
    expect([redelivered.body, redelivered.deliveryCount]).toEqual(['too slow', 1]);
    await again.completeMessage(redelivered);
    await again.close();
  });
  test('a deferred message received through a session cannot be settled once the session lock expired', async () => {
    await client
      .createSender(entities.sessions)
      .sendMessages({ body: 'deferred, then late', sessionId: 'F' });
    const receiver = await client.acceptSession(entities.sessions, 'F', {
      maxAutoLockRenewalDurationInMs: 0,
    });
    const received = await receiveOne(receiver);
    await receiver.deferMessage(received);
    const [deferred] = await receiver.receiveDeferredMessages(received.sequenceNumber!);
    await sleepUntil(receiver.sessionLockedUntilUtc);
    await expect(receiver.completeMessage(deferred!)).rejects.toMatchObject({ code: 'SessionLockLost' });
    await receiver.close();

    const again = await client.acceptSession(entities.sessions, 'F');
    const [still] = await again.receiveDeferredMessages(received.sequenceNumber!);
    expect([still!.body, still!.state, still!.deliveryCount]).toEqual(['deferred, then late', 'deferred', 2]);
    await again.completeMessage(still!);
    await again.close();
  });
});

// Issue 21 item 3.
describe('scheduled messages', () => {
  testAlone(
    'peeked while scheduled it reports state and scheduled time; active, its enqueued time is the activation',
    async () => {
      const at = new Date(Date.now() + 1_500);
      const [sequenceNumber] = await client
        .createSender(entities.queue)
        .scheduleMessages({ body: 'soon' }, at);
      const receiver = client.createReceiver(entities.queue);
      const [peeked] = await receiver.peekMessages(1);
      expect(peeked!.sequenceNumber!.toNumber()).toBe(sequenceNumber!.toNumber());
      expect([peeked!.state, peeked!.scheduledEnqueueTimeUtc?.getTime()]).toEqual([
        'scheduled',
        at.getTime(),
      ]);
      await sleepUntil(at);
      const [active] = await receiver.peekMessages(1, { fromSequenceNumber: sequenceNumber! });
      expect(active!.state).toBe('active');
      const received = await receiveOne(receiver);
      expect(received.enqueuedTimeUtc!.getTime()).toBeGreaterThanOrEqual(at.getTime());
      expect(received.scheduledEnqueueTimeUtc?.getTime()).toBe(at.getTime());
      await receiver.completeMessage(received);
      await receiver.close();
    },
  );

  testAlone(
    'many messages scheduled at once and in parallel on a session queue, some cancelled together',
    async () => {
      const sender = client.createSender(entities.sessions);
      const at = new Date(Date.now() + 2_500);
      const message = (n: number) => ({ body: n, sessionId: 'S', messageId: `s-${n}` });
      const [together, ...apart] = await Promise.all([
        sender.scheduleMessages([1, 2, 3, 4, 5].map(message), at),
        ...[6, 7, 8].map((n) => sender.scheduleMessages(message(n), at)),
      ]);
      const numbers = [...together!, ...apart.flat()].map((n) => n.toNumber());
      expect(new Set(numbers).size).toBe(8);

      const [one, two, three, four, five] = together!;
      await Promise.all([
        sender.cancelScheduledMessages([one!, three!, five!]),
        sender.cancelScheduledMessages(apart[0]![0]!),
        sender.cancelScheduledMessages(apart[2]![0]!),
      ]);
      const receiver = await client.acceptSession(entities.sessions, 'S');
      const peeked = await receiver.peekMessages(20);
      expect(peeked.map((m) => [m.body, m.state])).toEqual([
        [2, 'scheduled'],
        [4, 'scheduled'],
        [7, 'scheduled'],
      ]);
      expect(peeked.map((m) => m.sequenceNumber!.toNumber())).toEqual(
        [two!, four!, apart[1]![0]!].map((n) => n.toNumber()),
      );
      await sleepUntil(at);
      const received = await receiveBatch(receiver, 3);
      expect(received.map((m) => m.body)).toEqual([2, 4, 7]);
      for (const m of received) await receiver.completeMessage(m);
      expect(await receiver.receiveMessages(5, { maxWaitTimeInMs: 300 })).toHaveLength(0);
      await receiver.close();
    },
  );
});

// Issue 21 item 4: the Standard tier's 256 KB, on every queue and topic (a real namespace must be Standard:
// Premium sets the limit per entity, 1 MB unless changed). Over the limit, a single message or a schedule
// request is refused by the service; an array that does not fit one batch, by the SDK, from the size the
// service advertises on the sender's link.
describe('message size limits', () => {
  const limit = 256 * 1024;
  const ofKilobytes = (kb: number) => 'x'.repeat(kb * 1024);

  test('a message over the limit is refused with MessageSizeExceeded; the sender and other clients carry on', async () => {
    const sender = client.createSender(entities.queue);
    await expect(sender.sendMessages({ body: ofKilobytes(300) })).rejects.toMatchObject({
      code: 'MessageSizeExceeded',
    });
    await expect(
      client.createSender(entities.topic).sendMessages({ body: ofKilobytes(300) }),
    ).rejects.toMatchObject({ code: 'MessageSizeExceeded' });
    await sender.sendMessages({ body: ofKilobytes(200) });
    const receiver = impatient.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    expect((await receiveOne(receiver)).body).toBe(ofKilobytes(200));
    await receiver.close();
  });

  test('a batch is sized to the limit, and messages that do not fit one batch are refused', async () => {
    const sender = client.createSender(entities.queue);
    const batch = await sender.createMessageBatch();
    expect(batch.maxSizeInBytes).toBe(limit);
    expect(batch.tryAddMessage({ body: ofKilobytes(150) })).toBe(true);
    expect(batch.tryAddMessage({ body: ofKilobytes(150) })).toBe(false);
    await expect(
      sender.sendMessages([{ body: ofKilobytes(150) }, { body: ofKilobytes(150) }]),
    ).rejects.toMatchObject({ code: 'MessageSizeExceeded' });
    await sender.sendMessages(batch);
    const receiver = client.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    expect((await receiveOne(receiver)).body).toBe(ofKilobytes(150));
    expect(await receiver.peekMessages(5)).toHaveLength(0);
    await receiver.close();
  });

  test('scheduling a message over the limit is refused, and schedules nothing of that request', async () => {
    const sender = client.createSender(entities.queue);
    const at = new Date(Date.now() + 60_000);
    await expect(
      sender.scheduleMessages([{ body: 'small' }, { body: ofKilobytes(300) }], at),
    ).rejects.toMatchObject({ code: 'MessageSizeExceeded' });
    const [kept] = await sender.scheduleMessages({ body: 'fits' }, at);
    const receiver = client.createReceiver(entities.queue);
    expect((await receiver.peekMessages(5)).map((m) => m.body)).toEqual(['fits']);
    await sender.cancelScheduledMessages(kept!);
    await receiver.close();
  });
});

// Issue 21 item 7.
describe('errors as Azure words them', () => {
  test('an unknown entity is named as sb://<namespace host>/<path> in the not-found error', async () => {
    const expected = `The messaging entity 'sb://${client.fullyQualifiedNamespace}/no-such-queue' could not be found.`;
    const sendError = await client
      .createSender('no-such-queue')
      .sendMessages({ body: 'x' })
      .catch((e: unknown) => e);
    expect(isServiceBusError(sendError) && sendError.code).toBe('MessagingEntityNotFound');
    expect((sendError as Error).message).toContain(expected);
    const receiveError = await client
      .createReceiver('no-such-queue')
      .receiveMessages(1, { maxWaitTimeInMs: 500 })
      .catch((e: unknown) => e);
    expect((receiveError as Error).message).toContain(expected);
  });
});

describe('subscription rules and filters', () => {
  const topic = entities.topic;
  const subscription = entities.rulesSubscription;
  const rules = () => client.createRuleManager(topic, subscription);

  async function listRules() {
    const all = [];
    for await (const rule of rules().listRules()) all.push(rule);
    return all;
  }

  /** Leaves the subscription as a new one is: only `$Default` (the true filter), and empty. */
  async function resetSubscription(): Promise<void> {
    for (const rule of await listRules()) await rules().deleteRule(rule.name);
    await rules().createRule('$Default', { sqlExpression: '1=1' });
    await drain(`${topic}/subscriptions/${subscription}`);
  }

  beforeEach(async () => {
    if (!target.isLocal) await resetSubscription();
  });

  /** Whatever the subscription holds, received and completed, in order; waits until nothing more comes. */
  async function receiveAll(): Promise<Received[]> {
    const receiver = client.createReceiver(topic, subscription);
    const received: Received[] = [];
    for (;;) {
      const got = await receiver.receiveMessages(50, { maxWaitTimeInMs: target.isLocal ? 300 : 2_000 });
      if (got.length === 0) break;
      for (const message of got) await receiver.completeMessage(message);
      received.push(...got);
    }
    await receiver.close();
    return received;
  }

  const orders = [
    { color: 'blue', quantity: 5, priority: 'low' },
    { color: 'red', quantity: 10, priority: 'high' },
    { color: 'yellow', quantity: 7, priority: 'low' },
    { color: 'blue', quantity: 12, priority: 'high' },
  ];

  async function sendOrders(): Promise<void> {
    await client.createSender(topic).sendMessages(
      orders.map((order, i) => ({
        messageId: randomUUID(),
        body: `order-${i}`,
        subject: order.color,
        correlationId: order.priority,
        applicationProperties: { ...order, n: i },
      })),
    );
  }

  const numbers = (messages: readonly Received[]) => messages.map((m) => m.applicationProperties?.n);

  test('a new subscription has only the $Default rule, the true filter, without action', async () => {
    expect(await listRules()).toEqual([{ name: '$Default', filter: { sqlExpression: '1=1' }, action: {} }]);
  });

  test('rules are added, listed by name (also page by page) with their filters and actions, and removed', async () => {
    const sent = new Date('2000-01-01T00:00:00Z');
    await rules().createRule('sqlRule', { sqlExpression: 'price > 10' });
    await rules().createRule(
      'correlationRule',
      {
        correlationId: 'correlation-id',
        messageId: 'message-id',
        to: 'to',
        replyTo: 'reply-to',
        subject: 'label',
        sessionId: 'session-id',
        replyToSessionId: 'reply-to-session-id',
        contentType: 'application/json',
        applicationProperties: { key1: 'value1', key2: 2, key3: true, key4: sent },
      },
      { sqlExpression: "SET CorrelationId = 'newValue'" },
    );

    const listed = await listRules();
    expect(listed.map((r) => r.name)).toEqual(['$Default', 'correlationRule', 'sqlRule']);
    expect(listed[2]).toEqual({ name: 'sqlRule', filter: { sqlExpression: 'price > 10' }, action: {} });
    expect(listed[1]!.action).toEqual({ sqlExpression: "SET CorrelationId = 'newValue'" });
    expect(listed[1]!.filter).toEqual({
      correlationId: 'correlation-id',
      messageId: 'message-id',
      to: 'to',
      replyTo: 'reply-to',
      subject: 'label',
      sessionId: 'session-id',
      replyToSessionId: 'reply-to-session-id',
      contentType: 'application/json',
      applicationProperties: { key1: 'value1', key2: 2, key3: true, key4: sent },
    });

    const pages = [];
    for await (const page of rules().listRules().byPage({ maxPageSize: 2 }))
      pages.push(page.map((r) => r.name));
    expect(pages.filter((p) => p.length > 0)).toEqual([['$Default', 'correlationRule'], ['sqlRule']]);

    await rules().deleteRule('correlationRule');
    await rules().deleteRule('$Default');
    expect((await listRules()).map((r) => r.name)).toEqual(['sqlRule']);
  });

  test('a second rule of the same name is refused with MessagingEntityAlreadyExists', async () => {
    await rules().createRule('ruleName', { subject: 'yellow' });
    const error = await rules()
      .createRule('ruleName', { subject: 'red' })
      .catch((e: unknown) => e);
    expect(isServiceBusError(error) && error.code).toBe('MessagingEntityAlreadyExists');
    expect(String((error as Error).message)).toMatch(/The messaging entity '.*ruleName' already exists/);
  });

  test('deleting a rule that does not exist fails with MessagingEntityNotFound', async () => {
    const error = await rules()
      .deleteRule('no-such-rule')
      .catch((e: unknown) => e);
    expect(isServiceBusError(error) && error.code).toBe('MessagingEntityNotFound');
  });

  test('without any rule a subscription receives nothing; with the false filter neither', async () => {
    await rules().deleteRule('$Default');
    await sendOrders();
    expect(await receiveAll()).toEqual([]);
    await rules().createRule('never', { sqlExpression: '1=0' });
    await sendOrders();
    expect(await receiveAll()).toEqual([]);
  });

  test('correlation filters match system properties and application properties exactly', async () => {
    await rules().deleteRule('$Default');
    await rules().createRule('red', { subject: 'red' });
    await rules().createRule('highBlue', { correlationId: 'high', applicationProperties: { color: 'blue' } });
    await rules().createRule('caseMatters', { subject: 'YELLOW' });
    await sendOrders();
    expect(numbers(await receiveAll())).toEqual([1, 3]);
  });

  test('SQL filters: comparisons, AND/OR/NOT, IN, LIKE with ESCAPE, EXISTS, IS NULL, sys. properties', async () => {
    await rules().deleteRule('$Default');
    // Each rule has an action, so each lets in its own copy, named by RuleName: one send tests them all.
    const expected: Record<string, number[]> = {
      "color = 'blue' AND quantity > 10": [3],
      'quantity >= 7 AND NOT quantity <> 7': [2],
      "color IN ('red', 'yellow') OR sys.CorrelationId = 'high'": [1, 2, 3],
      "sys.Label LIKE 'bl%' AND priority NOT LIKE 'h_gh'": [0],
      "user.priority LIKE 'h!%%' ESCAPE '!' OR missing IS NOT NULL": [],
      'EXISTS(quantity) AND missing IS NULL AND quantity * 2 = 24': [3],
      "color <> 'blue' AND NOT (quantity < 8 OR priority = 'high')": [],
      "Quantity <= 5 OR [color] != 'red' AND quantity = 10": [0],
    };
    const filters = Object.keys(expected);
    for (const [i, expression] of filters.entries())
      await rules().createRule(`r${i}`, { sqlExpression: expression }, { sqlExpression: `SET rule = ${i}` });
    await sendOrders();
    const received = await receiveAll();
    for (const [i, expression] of filters.entries()) {
      const copies = received.filter((m) => m.applicationProperties?.RuleName === `r${i}`);
      expect(numbers(copies), expression).toEqual(expected[expression]);
      expect(copies.every((m) => m.applicationProperties?.rule === i)).toBe(true);
    }
  });

  test('a rule action changes the copy that rule lets in, which names the rule; plain rules give one copy', async () => {
    await rules().deleteRule('$Default');
    await rules().createRule('blue', { sqlExpression: "color = 'blue'" });
    await rules().createRule('blueAgain', { subject: 'blue' });
    await rules().createRule(
      'rush',
      { sqlExpression: "priority = 'high'" },
      { sqlExpression: "SET priority = 'urgent'; SET sys.Label = 'rushed'; REMOVE quantity" },
    );
    await sendOrders();
    const received = await receiveAll();
    const plain = received.filter((m) => m.applicationProperties?.RuleName === undefined);
    const rushed = received.filter((m) => m.applicationProperties?.RuleName === 'rush');
    expect(numbers(plain)).toEqual([0, 3]);
    expect(plain.map((m) => m.applicationProperties?.priority)).toEqual(['low', 'high']);
    expect(numbers(rushed).sort()).toEqual([1, 3]);
    for (const message of rushed) {
      expect(message.applicationProperties).toMatchObject({ priority: 'urgent', RuleName: 'rush' });
      expect(message.applicationProperties).not.toHaveProperty('quantity');
      expect(message.subject).toBe('rushed');
    }
    expect(received).toHaveLength(4);
  });

  test('a malformed SQL filter or action is refused naming the position; the broker keeps serving', async () => {
    const error = await rules()
      .createRule('broken', { sqlExpression: "color = 'blue' AND" })
      .catch((e: unknown) => e);
    expect(isServiceBusError(error)).toBe(true);
    expect(String((error as Error).message)).toMatch(/column[ =]?\d+/i);
    const badAction = await rules()
      .createRule('brokenAction', { sqlExpression: '1=1' }, { sqlExpression: 'UPDATE x = 1' })
      .catch((e: unknown) => e);
    expect(isServiceBusError(badAction)).toBe(true);

    expect((await listRules()).map((r) => r.name)).toEqual(['$Default']);
    await sendOrders();
    expect(numbers(await receiveAll())).toEqual([0, 1, 2, 3]);
  });
});

/**
 * A Shared Access Signature made by hand, as the Service Bus docs show: HMAC-SHA256 with the key over
 * `<url-encoded resource>\n<expiry>`.
 */
function sasToken(resource: string, keyName: string, key: string, expiresAtSeconds: number): string {
  const sr = encodeURIComponent(resource);
  const sig = createHmac('sha256', key).update(`${sr}\n${expiresAtSeconds}`).digest('base64');
  return `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${expiresAtSeconds}&skn=${keyName}`;
}

/** The administration client on the TLS endpoint, trusting the local broker's certificate when there is one. */
function administrationClient(
  connectionString = target.secure.connectionString,
): ServiceBusAdministrationClient {
  const { certificatePath } = target.secure;
  return new ServiceBusAdministrationClient(connectionString, {
    retryOptions: { maxRetries: 0 },
    ...(certificatePath ? { tlsOptions: { ca: readFileSync(certificatePath, 'utf8') } } : {}),
  });
}

const withKey = (connectionString: string, key: string): string =>
  connectionString.replace(/SharedAccessKey=[^;]*/, `SharedAccessKey=${key}`);

describe('TLS and shared access keys', () => {
  // The SDK's AMQP client trusts only the process's CAs, so these steps run in a process of their own that
  // trusts the local broker's certificate through NODE_EXTRA_CA_CERTS (see testing/broker/sdk-process.ts).
  test('a connection string, a named key and a SAS token work over TLS; a wrong key, an expired or forged token get UnauthorizedAccess and others keep working', async () => {
    const { connectionString, fullyQualifiedNamespace: namespace, keyName, key } = target.secure;
    const now = Math.floor(Date.now() / 1000);
    const queue = entities.queue;
    const outcomes = await runSdkSteps(
      [
        { auth: { connectionString }, queue, body: 'by connection string', receive: true },
        { auth: { namespace, keyName, key }, queue, body: 'by named key', receive: true },
        {
          auth: { namespace, signature: sasToken(`sb://${namespace}/`, keyName, key, now + 600) },
          queue,
          body: 'by SAS token',
          receive: true,
        },
        {
          auth: { connectionString: withKey(connectionString, 'bm90LXRoZS1rZXk=') },
          queue,
          body: 'x',
          receive: false,
        },
        {
          auth: { namespace, signature: sasToken(`sb://${namespace}/`, keyName, key, now - 60) },
          queue,
          body: 'x',
          receive: false,
        },
        {
          // Signed for another namespace: the signature is good, the audience is not this one.
          auth: {
            namespace,
            signature: sasToken('sb://elsewhere.servicebus.windows.net/', keyName, key, now + 600),
          },
          queue,
          body: 'x',
          receive: false,
        },
        { auth: { connectionString }, queue, body: 'still served', receive: true },
      ],
      target.secure.certificatePath,
    );
    const refused = (reason: string) => ({
      ok: false,
      code: 'UnauthorizedAccess',
      message: expect.stringContaining(reason) as string,
    });
    expect(outcomes).toEqual([
      { ok: true, received: 'by connection string' },
      { ok: true, received: 'by named key' },
      { ok: true, received: 'by SAS token' },
      refused('InvalidSignature'),
      refused('ExpiredToken'),
      refused('InvalidAudience'),
      { ok: true, received: 'still served' },
    ]);
    // Nothing refused was enqueued, and the in-process client (the plain connection locally) is unaffected.
    const receiver = client.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    expect(await receiver.receiveMessages(10, { maxWaitTimeInMs: 300 })).toEqual([]);
    await client.createSender(entities.queue).sendMessages({ body: 'plain' });
    expect((await receiveOne(receiver)).body).toBe('plain');
    await receiver.close();
  });

  test('a client that does not trust the certificate is refused at the handshake; the broker keeps serving', async () => {
    // Only the local broker has a certificate nobody trusts; a real namespace's is trusted everywhere.
    if (!target.isLocal) return;
    const [untrusted] = await runSdkSteps(
      [
        {
          auth: { connectionString: target.secure.connectionString },
          queue: entities.queue,
          body: 'x',
          receive: false,
        },
      ],
      undefined,
    );
    // Node's verdict on the certificate comes through the SDK as the error's code.
    expect(untrusted).toMatchObject({ ok: false, code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
    // Still serving: HTTPS on the same port, and the plain connection.
    expect((await administrationClient().getQueueRuntimeProperties(entities.queue)).totalMessageCount).toBe(
      0,
    );
    await client.createSender(entities.queue).sendMessages({ body: 'after' });
    const receiver = client.createReceiver(entities.queue, { receiveMode: 'receiveAndDelete' });
    expect((await receiveOne(receiver)).body).toBe('after');
    await receiver.close();
  });
});

describe('runtime properties over the management API', () => {
  test('queue counts: active (locked ones too), dead-lettered, scheduled, total and size', async () => {
    const sender = client.createSender(entities.queue);
    await sender.sendMessages([{ body: 'a' }, { body: 'b' }, { body: 'c' }]);
    await sender.scheduleMessages({ body: 'later' }, new Date(Date.now() + 3_600_000));
    const receiver = client.createReceiver(entities.queue);
    const [first] = await receiveBatch(receiver, 3); // all three locked: locked messages are still active
    await receiver.deadLetterMessage(first!, {
      deadLetterReason: 'contract',
      deadLetterErrorDescription: 'counted',
    });

    const properties = await administrationClient().getQueueRuntimeProperties(entities.queue);
    expect(properties).toMatchObject({
      name: entities.queue,
      activeMessageCount: 2,
      deadLetterMessageCount: 1,
      scheduledMessageCount: 1,
      transferMessageCount: 0,
      transferDeadLetterMessageCount: 0,
      totalMessageCount: 4,
    });
    expect(properties.sizeInBytes).toBeGreaterThan(0);
    expect(properties.createdAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(properties.accessedAt.getTime()).toBeGreaterThanOrEqual(properties.createdAt.getTime());
    await receiver.close();
  });

  test('topic and subscription counts, and the lists of queues, topics and subscriptions', async () => {
    await client.createSender(entities.topic).sendMessages({ body: 'to all' });
    const admin = administrationClient();
    const topic = await admin.getTopicRuntimeProperties(entities.topic);
    // The plain subscriptions and the one the rules tests reshape.
    expect(topic).toMatchObject({
      name: entities.topic,
      subscriptionCount: entities.subscriptions.length + 1,
    });
    for (const name of entities.subscriptions) {
      expect(await admin.getSubscriptionRuntimeProperties(entities.topic, name)).toMatchObject({
        topicName: entities.topic,
        subscriptionName: name,
        activeMessageCount: 1,
        deadLetterMessageCount: 0,
        totalMessageCount: 1,
      });
    }
    const queues: string[] = [];
    for await (const q of admin.listQueuesRuntimeProperties()) queues.push(q.name);
    expect(queues).toEqual(expect.arrayContaining([entities.queue, entities.sessions]));
    const topics: string[] = [];
    for await (const t of admin.listTopics()) topics.push(t.name);
    expect(topics).toContain(entities.topic);
    const subscriptions: string[] = [];
    for await (const s of admin.listSubscriptionsRuntimeProperties(entities.topic))
      subscriptions.push(s.subscriptionName);
    expect(subscriptions).toEqual(expect.arrayContaining([...entities.subscriptions]));
    const session = (await admin.getQueue(entities.sessions)).requiresSession;
    expect(session).toBe(true);
  });

  test('an unknown entity, a wrong key and (locally) a write are refused with the errors Azure gives', async () => {
    const admin = administrationClient();
    await expect(admin.getQueueRuntimeProperties('no-such-queue')).rejects.toMatchObject({
      code: 'MessageEntityNotFoundError',
    });
    await expect(
      administrationClient(
        withKey(target.secure.connectionString, 'bm90LXRoZS1rZXk='),
      ).getQueueRuntimeProperties(entities.queue),
    ).rejects.toMatchObject({ statusCode: 401, code: 'UnauthorizedRequestError' });
    // Entities are defined once in code: the local broker refuses to create one as Azure refuses a key
    // without the Manage right (a real namespace's root key could create it, so only locally).
    if (target.isLocal) {
      await expect(admin.createQueue(`contract-new-${randomUUID()}`)).rejects.toMatchObject({
        statusCode: 401,
        code: 'UnauthorizedRequestError',
      });
    }
    expect((await admin.getQueueRuntimeProperties(entities.queue)).name).toBe(entities.queue);
  });
});

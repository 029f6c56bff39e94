import { randomUUID } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { startBroker } from '../../../infra/local/broker/broker';
import type { EntityConfig, NamespaceConfig } from '../../../infra/local/broker/entity-config';
import { subscriptionPath } from '../../../infra/local/broker/entity-config';
import {
  acceptNextSession,
  acceptSession,
  closeServiceBusClient,
  createServiceBusClient,
  deadLetterError,
  MessageReceiver,
  MessageSender,
} from '../../../infra/servicebus';
import type { OutgoingMessage, ReceivedMessage, ServiceBusClient } from '../../../infra/servicebus';
import { PipelineError } from '../../../shared/errors';

/**
 * The adapter against the project's in-process broker. Every test gets its own broker and client (the `client`
 * fixture), so the tests run concurrently and the file takes as long as its slowest test. Message locks last
 * 1 s so that lock expiry is quick to test; session locks 5 s, longer than any session test needs.
 */
function entity(path: string, requiresSession: boolean): EntityConfig {
  return {
    path,
    lockDurationMs: requiresSession ? 5_000 : 1_000,
    maxDeliveryCount: 5,
    requiresSession,
    duplicateDetectionWindowMs: 10 * 60_000,
    defaultTtlMs: 3_600_000,
    deadLetterOnExpiration: true,
  };
}

const config: NamespaceConfig = {
  queues: [entity('work', false), entity('ordered', true)],
  topics: [
    {
      path: 'events',
      duplicateDetectionWindowMs: 10 * 60_000,
      subscriptions: ['log', 'hooks'].map((name) => ({
        ...entity(subscriptionPath('events', name), false),
        duplicateDetectionWindowMs: 0,
      })),
    },
  ],
};

const it = test.extend<{ client: ServiceBusClient }>({
  // eslint-disable-next-line no-empty-pattern
  client: async ({}, use) => {
    const broker = await startBroker({ entities: config, tickMs: 50 });
    const client = createServiceBusClient(
      { kind: 'connectionString', connectionString: broker.connectionString },
      { maxRetries: 1, retryDelayMs: 50, timeoutMs: 3_000 },
    );
    await use(client);
    await closeServiceBusClient(client);
    await broker.stop();
  },
});

const work = { queue: 'work' } as const;
const ordered = { queue: 'ordered' } as const;

async function receiveOne(receiver: MessageReceiver, waitMs = 3_000): Promise<ReceivedMessage> {
  const [message] = await receiver.receive(1, waitMs);
  if (!message) throw new Error('no message arrived');
  return message;
}

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.concurrent('sending and receiving', () => {
  it('a message round-trips with all its fields, and complete removes it', async ({ client }) => {
    const messageId = randomUUID();
    const enqueueAt = new Date(Date.now() - 1_000);
    await new MessageSender(client, work).send({
      messageId,
      body: { component: 'bash', evr: '5.2.37-1.fc43', tags: ['a', 'b'], nested: { n: 1, ok: true } },
      subject: 'build.requested',
      correlationId: 'corr-7',
      applicationProperties: { origin: 'test', attempt: 3, urgent: false },
      scheduledEnqueueTime: enqueueAt,
      timeToLiveMs: 60_000,
    });
    const receiver = new MessageReceiver(client, work);
    const message = await receiveOne(receiver);
    expect(message).toMatchObject({
      messageId,
      body: { component: 'bash', evr: '5.2.37-1.fc43', tags: ['a', 'b'], nested: { n: 1, ok: true } },
      subject: 'build.requested',
      correlationId: 'corr-7',
      contentType: 'application/json',
      applicationProperties: { origin: 'test', attempt: 3, urgent: false },
      deliveryCount: 0,
      state: 'active',
      deadLetterReason: undefined,
      sessionId: undefined,
    });
    expect(typeof message.sequenceNumber).toBe('bigint');
    expect(message.sequenceNumber).toBeGreaterThan(0n);
    expect(message.enqueuedTime).toBeInstanceOf(Date);
    expect(message.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    await message.complete();
    expect(await receiver.peek(10)).toEqual([]);
    await receiver.close();
  });

  it('an explicit content type is kept, and a plain string body stays a string', async ({ client }) => {
    await new MessageSender(client, work).send({
      messageId: 'm-1',
      body: 'plain',
      contentType: 'text/plain',
    });
    const message = await receiveOne(new MessageReceiver(client, work));
    expect([message.body, message.contentType]).toEqual(['plain', 'text/plain']);
    await message.complete();
  });

  it('sendBatch splits 500 messages into several SDK batches and all arrive, in order', async ({
    client,
  }) => {
    const filler = 'x'.repeat(4_000); // 500 x ~4 KB is about 2 MB: more than one 1 MiB batch of the broker
    const messages: OutgoingMessage[] = Array.from({ length: 500 }, (_, i) => ({
      messageId: `batch-${i}`,
      body: { i, filler },
    }));
    const batches = await new MessageSender(client, work).sendBatch(messages);
    expect(batches).toBeGreaterThanOrEqual(2);
    const receiver = new MessageReceiver(client, work);
    const seen: number[] = [];
    while (seen.length < messages.length) {
      const got = await receiver.receive(100, 2_000);
      if (got.length === 0) break;
      for (const message of got) {
        seen.push((message.body as { i: number }).i);
        await message.complete();
      }
    }
    expect(seen).toEqual(messages.map((_, i) => i));
    await receiver.close();
  });

  it('a message too large for an empty batch fails permanently, naming the entity and message', async ({
    client,
  }) => {
    const sender = new MessageSender(client, work);
    const huge = { messageId: 'too-big', body: 'y'.repeat(2 * 1024 * 1024) };
    const error = await failureOf(sender.sendBatch([{ messageId: 'small', body: 1 }, huge]));
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({
      code: 'servicebus.message-too-large',
      retryable: false,
      context: { queue: 'work', messageId: 'too-big' },
    });
    expect(await failureOf(sender.send(huge))).toMatchObject({ code: 'servicebus.message-too-large' });
    // The small message of the failed call was sent in an earlier batch: re-sending is safe (duplicate detection).
    await sender.sendBatch([{ messageId: 'small', body: 1 }]);
    const receiver = new MessageReceiver(client, work);
    expect((await receiver.peek(10)).map((m) => m.messageId)).toEqual(['small']);
  });

  it('an invalid outgoing message is refused before anything is sent', async ({ client }) => {
    const sender = new MessageSender(client, work);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    for (const bad of [
      { messageId: '', body: 1 },
      { messageId: 'x'.repeat(129), body: 1 },
      { messageId: 'ok', body: cyclic },
      { messageId: 'ok', body: 10n },
      { messageId: 'ok', body: undefined },
    ]) {
      expect(await failureOf(sender.sendBatch([{ messageId: 'fine', body: 1 }, bad]))).toMatchObject({
        code: 'servicebus.invalid-message',
        retryable: false,
        context: { queue: 'work' },
      });
    }
    expect(await new MessageReceiver(client, work).peek(10)).toEqual([]);
  });
});

describe.concurrent('scheduling, deferral and peeking', () => {
  it('a scheduled message appears at its time; a cancelled one never does', async ({ client }) => {
    const sender = new MessageSender(client, work);
    const at = new Date(Date.now() + 1_500);
    const kept = await sender.schedule({ messageId: 'kept', body: 'later' }, at);
    const cancelled = await sender.schedule({ messageId: 'cancelled', body: 'never' }, at);
    expect(typeof kept).toBe('bigint');
    expect(cancelled).not.toBe(kept);
    await sender.cancelScheduled(String(cancelled)); // the persisted (string) form works too
    const receiver = new MessageReceiver(client, work);
    const peeked = await receiver.peek(10);
    expect(peeked.map((m) => [m.messageId, m.state, m.sequenceNumber])).toEqual([
      ['kept', 'scheduled', kept],
    ]);
    const message = await receiveOne(receiver);
    expect(message.body).toBe('later');
    expect(message.scheduledEnqueueTime?.getTime()).toBe(at.getTime());
    expect(Date.now()).toBeGreaterThanOrEqual(at.getTime() - 50); // not delivered before its time
    await message.complete();
    expect(await failureOf(sender.cancelScheduled('not-a-number'))).toMatchObject({
      code: 'servicebus.invalid-request',
    });
  });

  it('a deferred message comes back only by its sequence number', async ({ client }) => {
    await new MessageSender(client, work).send({ messageId: 'd', body: 'wait' });
    const receiver = new MessageReceiver(client, work);
    const message = await receiveOne(receiver);
    await message.defer();
    expect(await receiver.receive(1, 200)).toEqual([]);
    const [deferred] = await receiver.receiveDeferred([message.sequenceNumber]);
    expect(deferred).toMatchObject({ messageId: 'd', body: 'wait', state: 'deferred' });
    await deferred!.complete();
    expect(await receiver.receiveDeferred([])).toEqual([]);
    expect(await receiver.peek(5)).toEqual([]);
  });

  it('peek walks the queue without locking or consuming', async ({ client }) => {
    await new MessageSender(client, work).sendBatch([1, 2, 3].map((n) => ({ messageId: `p${n}`, body: n })));
    const receiver = new MessageReceiver(client, work);
    const first = await receiver.peek(2);
    expect(first.map((m) => [m.body, m.lockedUntil])).toEqual([
      [1, undefined],
      [2, undefined],
    ]);
    expect((await receiver.peek(5)).map((m) => m.body)).toEqual([3]);
    expect((await receiveOne(receiver)).body).toBe(1);
  });
});

describe.concurrent('settlement and locks', () => {
  it('abandon redelivers with a higher delivery count and the modified properties', async ({ client }) => {
    await new MessageSender(client, work).send({
      messageId: 'a',
      body: 'again',
      applicationProperties: { keep: 'yes' },
    });
    const receiver = new MessageReceiver(client, work);
    const first = await receiveOne(receiver);
    expect(first.deliveryCount).toBe(0);
    await first.abandon({ lastError: 'storage.unavailable' });
    const second = await receiveOne(receiver);
    expect(second.deliveryCount).toBe(1);
    // Azure merges `propertiesToModify` into the application properties; the local broker keeps them as
    // message annotations, which the adapter does not expose, so only the untouched property is checked here.
    expect(second.applicationProperties).toMatchObject({ keep: 'yes' });
    await second.abandon();
    expect((await receiveOne(receiver)).deliveryCount).toBe(2);
  });

  it('dead-lettering with a reason, or with a PipelineError, lands in the dead-letter queue', async ({
    client,
  }) => {
    const failure = PipelineError.permanent('build.spec-error', 'bash.spec: no Version', {
      component: 'bash',
      line: 3,
    });
    await new MessageSender(client, work).sendBatch([
      { messageId: 'r', body: { bad: true } },
      { messageId: 'e', body: { worse: true } },
    ]);
    const receiver = new MessageReceiver(client, work);
    const [plain, withError] = await receiver.receive(2, 3_000);
    await plain!.deadLetter({ reason: 'schema.invalid', description: 'body.topic: Required' });
    await withError!.deadLetter(failure);
    expect(await failureOf(plain!.deadLetter({ reason: ' ' }))).toMatchObject({
      code: 'servicebus.invalid-request',
    });
    expect(await receiver.peek(5)).toEqual([]);

    const dlq = new MessageReceiver(client, work, { deadLetter: true });
    const dead = await dlq.receive(2, 3_000);
    expect(dead.map((m) => [m.messageId, m.deadLetterReason, m.deadLetterSource])).toEqual([
      ['r', 'schema.invalid', 'work'],
      ['e', 'build.spec-error', 'work'],
    ]);
    expect(dead[0]!.deadLetterDescription).toBe('body.topic: Required');
    expect(dead[0]!.body).toEqual({ bad: true });
    expect(deadLetterError(dead[0]!)).toBeUndefined();
    const restored = deadLetterError(dead[1]!);
    expect(restored).toBeInstanceOf(PipelineError);
    expect(restored?.toJSON()).toEqual(failure.toJSON());
    for (const message of dead) await message.complete();
    await dlq.close();
  });

  it('renewLock extends the lock', async ({ client }) => {
    await new MessageSender(client, work).send({ messageId: 'long', body: 'work' });
    const message = await receiveOne(new MessageReceiver(client, work));
    const before = message.lockedUntil!.getTime();
    await sleep(100);
    const renewed = await message.renewLock();
    expect(renewed.getTime()).toBeGreaterThan(before);
    expect(message.lockedUntil?.getTime()).toBe(renewed.getTime());
    await sleep(before - Date.now() + 200); // past the original lock: still ours
    await message.complete();
  });

  it('settling after the lock expired fails with servicebus.lock-lost', async ({ client }) => {
    await new MessageSender(client, work).send({ messageId: 'slow', body: 'slow' });
    const message = await receiveOne(new MessageReceiver(client, work));
    await sleep(message.lockedUntil!.getTime() - Date.now() + 300);
    const error = await failureOf(message.complete());
    expect(error).toBeInstanceOf(PipelineError);
    expect(error).toMatchObject({
      code: 'servicebus.lock-lost',
      retryable: false,
      context: { queue: 'work', operation: 'complete', messageId: 'slow', errorCode: 'MessageLockLost' },
    });
  });
});

describe.concurrent('sessions', () => {
  it('acceptSession receives one session in order, holds it, and keeps its state', async ({ client }) => {
    await new MessageSender(client, ordered).sendBatch([
      { messageId: 'a1', body: 'a1', sessionId: 'A' },
      { messageId: 'b1', body: 'b1', sessionId: 'B' },
      { messageId: 'a2', body: 'a2', sessionId: 'A' },
    ]);
    const a = await acceptSession(client, ordered, 'A');
    expect(a.sessionId).toBe('A');
    expect(a.sessionLockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(await failureOf(acceptSession(client, ordered, 'A'))).toMatchObject({
      code: 'servicebus.session-locked',
      retryable: true,
      context: { queue: 'ordered', sessionId: 'A' },
    });
    const messages = await a.receive(2, 3_000);
    expect(messages.map((m) => [m.body, m.sessionId])).toEqual([
      ['a1', 'A'],
      ['a2', 'A'],
    ]);
    for (const message of messages) await message.complete();
    expect(await a.getState()).toBeUndefined();
    await a.setState({ cursor: 2, done: ['a1', 'a2'] });
    expect(await a.getState()).toEqual({ cursor: 2, done: ['a1', 'a2'] });
    const before = a.sessionLockedUntil!.getTime();
    await sleep(100);
    expect((await a.renewSessionLock()).getTime()).toBeGreaterThan(before);
    await a.close();

    const next = await acceptNextSession(client, ordered, { waitMs: 2_000 });
    expect(next?.sessionId).toBe('B');
    const [b1] = await next!.receive(1, 3_000);
    expect(b1).toMatchObject({ body: 'b1', sessionId: 'B' });
    await b1!.complete();
    await next!.close();

    const again = await acceptSession(client, ordered, 'A');
    expect(await again.getState()).toEqual({ cursor: 2, done: ['a1', 'a2'] });
    await again.setState(null);
    expect(await again.getState()).toBeUndefined();
    await again.close();
  });

  it('acceptNextSession waits for a session to arrive, and gives undefined when none does', async ({
    client,
  }) => {
    const started = Date.now();
    expect(await acceptNextSession(client, ordered, { waitMs: 300 })).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);

    const pending = acceptNextSession(client, ordered, { waitMs: 2_500 });
    await sleep(200);
    await new MessageSender(client, ordered).send({ messageId: 'late', body: 'late', sessionId: 'C' });
    const receiver = await pending;
    expect(receiver?.sessionId).toBe('C');
    const [message] = await receiver!.receive(1, 3_000);
    await message!.complete();
    await receiver!.close();
  });
});

describe.concurrent('topics and failures', () => {
  it('a topic message reaches every subscription; a subscription dead-letter queue is readable', async ({
    client,
  }) => {
    await new MessageSender(client, { topic: 'events' }).send({
      messageId: 'ev',
      body: { kind: 'build.ok' },
    });
    const log = new MessageReceiver(client, { topic: 'events', subscription: 'log' });
    const hooks = new MessageReceiver(client, { topic: 'events', subscription: 'hooks' });
    await (await receiveOne(log)).complete();
    await (await receiveOne(hooks)).deadLetter({ reason: 'webhook.gone' });
    const dlq = new MessageReceiver(client, { topic: 'events', subscription: 'hooks' }, { deadLetter: true });
    const dead = await receiveOne(dlq);
    expect([dead.messageId, dead.deadLetterReason, dead.deadLetterDescription]).toEqual([
      'ev',
      'webhook.gone',
      'webhook.gone',
    ]);
  });

  it('an unknown entity is servicebus.entity-not-found, naming it', async ({ client }) => {
    const sendError = await failureOf(
      new MessageSender(client, { queue: 'no-such-queue' }).send({ messageId: 'x', body: 1 }),
    );
    expect(sendError).toBeInstanceOf(PipelineError);
    expect(sendError).toMatchObject({
      code: 'servicebus.entity-not-found',
      retryable: false,
      context: { queue: 'no-such-queue', errorCode: 'MessagingEntityNotFound' },
    });
    const receiveError = await failureOf(
      new MessageReceiver(client, { queue: 'no-such-queue' }).receive(1, 500),
    );
    expect(receiveError).toMatchObject({
      code: 'servicebus.entity-not-found',
      context: { queue: 'no-such-queue', operation: 'receive' },
    });
    const subscriptionError = await failureOf(
      new MessageReceiver(client, { topic: 'events', subscription: 'nobody' }).receive(1, 500),
    );
    expect(subscriptionError).toMatchObject({
      code: 'servicebus.entity-not-found',
      context: { topic: 'events', subscription: 'nobody' },
    });
  });
});

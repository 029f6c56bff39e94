import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { isServiceBusError, ServiceBusAdministrationClient, ServiceBusClient } from '@azure/service-bus';
import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ServiceBusTarget } from '../../testing/broker/contract-target';
import { contractEntities as entities, serviceBusTarget } from '../../testing/broker/contract-target';
import { runSdkSteps } from '../../testing/broker/sdk-child';

/**
 * The Service Bus contract: behaviour the pipeline relies on, written against the public `@azure/service-bus`
 * API only. It runs against the local broker, or against a real namespace when
 * AZL_CONTRACT_SERVICEBUS_CONNECTION_STRING is set (see testing/broker/contract-target.ts).
 */
let target: ServiceBusTarget;
let client: ServiceBusClient;
/** Gives up quickly on "next session": used to drain sessions and to test the timeout. */
let impatient: ServiceBusClient;

// Locally every test gets a fresh broker; on a real namespace the entities are drained instead.
beforeEach(async () => {
  target = await serviceBusTarget();
  client = new ServiceBusClient(target.connectionString, {
    retryOptions: { maxRetries: 1, retryDelayInMs: 100 },
  });
  impatient = new ServiceBusClient(target.connectionString, {
    retryOptions: { maxRetries: 0, timeoutInMs: 1_500 },
  });
});

afterEach(async () => {
  await client?.close();
  await impatient?.close();
  await target?.stop();
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

  test('renewing a lock extends it, and the message is not redelivered meanwhile', async () => {
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
  test('a scheduled message stays invisible until its time, and can be cancelled', async () => {
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
  test.each(Object.keys(acceptors) as (keyof typeof acceptors)[])(
    'a peek-lock session receiver from %s settles a batch and receives again on the same receiver',
    async (how) => {
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
    },
  );

  test('after a batch receive the session lock can be renewed and session state kept', async () => {
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
    expect(topic).toMatchObject({ name: entities.topic, subscriptionCount: entities.subscriptions.length });
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

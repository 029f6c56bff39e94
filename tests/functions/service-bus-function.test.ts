import { InvocationContext } from '@azure/functions';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import type { MessageInvocation } from '../../functions/service-bus-function';
import { serviceBusFunction } from '../../functions/service-bus-function';
import { PipelineError } from '../../shared/errors';
import { queues, topics } from '../../shared/messaging/entities';
import type { TopicDefinition } from '../../shared/messaging/entities';
import type { MessageFailure } from '../../shared/messaging/message-failures';
import { fakeServices } from '../../testing/fakes/services';
import { capturedLogs } from './captured-logs';

const jobSchema = z.object({ job: z.number().int(), tag: z.string().default('untagged') });
type Job = z.infer<typeof jobSchema>;

const context = (triggerMetadata: Record<string, unknown>) =>
  new InvocationContext({
    invocationId: 'inv-7',
    functionName: 'work',
    triggerMetadata,
    logHandler: () => undefined,
  });

/** A function on `builds` whose handler keeps what it got and logs one line; services log to `lines`. */
function harness() {
  const { logger, lines } = capturedLogs();
  const failures: MessageFailure[] = [];
  const received: { body: Job; invocation: MessageInvocation }[] = [];
  const services = fakeServices({
    logger,
    failures: { record: async (failure) => void failures.push(failure) },
  });
  const entry = serviceBusFunction(
    { name: 'work', queue: queues.builds },
    jobSchema,
    async (body, invocation) => {
      received.push({ body, invocation });
      invocation.logger.info('job done', { job: body.job });
    },
  )(() => Promise.resolve(services));
  return { entry, lines, failures, received };
}

describe('serviceBusFunction', () => {
  test('takes the queue, session flag and connection from the entity definition', () => {
    const make = (name: string, queue: (typeof queues)[keyof typeof queues]) =>
      serviceBusFunction(
        { name, queue },
        jobSchema,
        async () => undefined,
      )(() => Promise.resolve(fakeServices()));
    expect(make('build', queues.builds)).toMatchObject({
      kind: 'serviceBusQueue',
      name: 'build',
      connection: 'ServiceBusConnection',
      queueName: 'builds',
      isSessionsEnabled: true,
    });
    expect(make('plan', queues.ingest)).toMatchObject({
      kind: 'serviceBusQueue',
      name: 'plan',
      queueName: 'ingest',
      isSessionsEnabled: false,
    });
  });

  test('takes topic and subscription from the topic definition, and refuses a subscription it lacks', () => {
    const entry = serviceBusFunction(
      { name: 'fanOut', topic: topics.events, subscription: 'webhooks' },
      jobSchema,
      async () => undefined,
    )(() => Promise.resolve(fakeServices()));
    expect(entry).toMatchObject({
      kind: 'serviceBusTopic',
      name: 'fanOut',
      connection: 'ServiceBusConnection',
      topicName: 'events',
      subscriptionName: 'webhooks',
      isSessionsEnabled: false,
    });
    expect(entry).not.toHaveProperty('queueName');

    const topic: TopicDefinition = topics.events;
    expect(() =>
      serviceBusFunction({ name: 'x', topic, subscription: 'nobody' }, jobSchema, async () => undefined),
    ).toThrow(expect.objectContaining({ code: 'functions.unknown-subscription' }));
  });

  test('hands the parsed body, the services, the message metadata and a bound logger to the handler', async () => {
    const { entry, lines, received } = harness();
    await entry.handler({ job: 3 }, context({ messageId: 'm-3', deliveryCount: 2, sessionId: 'curl' }));

    expect(received).toHaveLength(1);
    expect(received[0]?.body).toEqual({ job: 3, tag: 'untagged' });
    expect(received[0]?.invocation.metadata).toEqual({
      messageId: 'm-3',
      deliveryCount: 2,
      sessionId: 'curl',
    });
    expect(received[0]?.invocation.services.planning).toBeDefined();
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        msg: 'job done',
        job: 3,
        functionName: 'work',
        invocationId: 'inv-7',
        messageId: 'm-3',
        deliveryCount: 2,
        sessionId: 'curl',
      }),
    ]);
  });

  test('a body that does not fit is recorded in the failure log and refused as permanent, unhandled', async () => {
    const { entry, failures, received } = harness();
    const error = await Promise.resolve(
      entry.handler({ job: 'three' }, context({ messageId: 'm-bad', deliveryCount: 4 })),
    ).catch((e: unknown) => e);

    expect(PipelineError.is(error, 'message.invalid')).toBe(true);
    expect(error).toMatchObject({ retryable: false, context: { entity: 'builds', path: 'job' } });
    expect(failures).toEqual([
      expect.objectContaining({
        entity: 'builds',
        messageId: 'm-bad',
        code: 'message.invalid',
        retryable: false,
        deliveryCount: 4,
      }),
    ]);
    expect(received).toEqual([]);
  });

  test('a failure of the handler reaches the host as it is', async () => {
    const failure = PipelineError.transient('storage.unavailable', 'connection refused');
    const entry = serviceBusFunction({ name: 'work', queue: queues.ingest }, jobSchema, async () => {
      throw failure;
    })(() => Promise.resolve(fakeServices()));
    await expect(entry.handler({ job: 1 }, context({ messageId: 'm-1' }))).rejects.toBe(failure);
  });
});

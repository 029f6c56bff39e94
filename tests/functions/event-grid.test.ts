import { InvocationContext } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventGridFunction } from '../../functions/event-grid';
import { startBroker } from '../../infra/local/broker/broker';
import type { RunningBroker } from '../../infra/local/broker/broker';
import { closeServiceBusClient, createServiceBusClient, MessageReceiver } from '../../infra/servicebus';
import type { ServiceBusClient } from '../../infra/servicebus';
import { TopicEventPublisher } from '../../infra/servicebus/topic-event-publisher';
import { PipelineError } from '../../shared/errors';
import { toCloudEvent } from '../../shared/events/cloud-event';
import type { PipelineCloudEvent } from '../../shared/events/cloud-event';
import type { MessageFailure } from '../../shared/messaging/message-failures';
import { topics } from '../../shared/messaging/entities';
import type { Services } from '../../shared/services';
import { failure } from '../../testing/failures';
import { fakeServices } from '../../testing/fakes/services';
import { sampleEvents } from '../../testing/fixtures/pipeline-events';
import { capturedLogs } from './captured-logs';

/**
 * `eventGridForward` over a fake `eventGrid` port, fed the message body the `events` topic's `event-grid`
 * subscription really delivers (published by the topic adapter on the local broker).
 */
let broker: RunningBroker;
let client: ServiceBusClient;
beforeAll(async () => {
  broker = await startBroker({ entities: [topics.events], tickMs: 50 });
  client = createServiceBusClient(
    { kind: 'connectionString', connectionString: broker.connectionString },
    { maxRetries: 1, retryDelayMs: 50, timeoutMs: 3_000 },
  );
});
afterAll(async () => {
  await closeServiceBusClient(client);
  await broker.stop();
});

/** The bodies the `event-grid` subscription holds after `events` were published, completed. */
async function bodiesFromTheTopic(events: Parameters<TopicEventPublisher['publish']>[0]): Promise<unknown[]> {
  const publisher = new TopicEventPublisher(client, 'func-azl-test');
  await publisher.publish(events);
  await publisher.close();
  const receiver = new MessageReceiver(client, { topic: topics.events.name, subscription: 'event-grid' });
  const received = await receiver.receive(events.length, 2_000);
  for (const message of received) await message.complete();
  await receiver.close();
  return received.map((message) => message.body as unknown);
}

const context = (messageId: string) =>
  new InvocationContext({
    invocationId: `inv-${messageId}`,
    functionName: 'eventGridForward',
    triggerMetadata: { messageId, deliveryCount: 1 },
    logHandler: () => undefined,
  });

function handlerWith(over: Partial<Services>) {
  const { logger, lines } = capturedLogs();
  const failures: MessageFailure[] = [];
  const services = fakeServices({
    logger,
    failures: { record: (failure) => (failures.push(failure), Promise.resolve()) },
    ...over,
  });
  const entry = eventGridFunction(() => Promise.resolve(services));
  return { entry, handler: entry.handler, lines, failures };
}

describe('eventGridForward', () => {
  test('is the event-grid subscription of the events topic', () => {
    const { entry } = handlerWith({});
    expect(entry).toMatchObject({
      name: 'eventGridForward',
      kind: 'serviceBusTopic',
      topicName: 'events',
      subscriptionName: 'event-grid',
      isSessionsEnabled: false,
    });
  });

  test('forwards the CloudEvent read from the topic, as it is, to the eventGrid port', async () => {
    const event = sampleEvents['build.failed'];
    const [body] = await bodiesFromTheTopic([event]);
    const published: PipelineCloudEvent[] = [];
    const { handler, lines } = handlerWith({
      eventGrid: { publish: (cloudEvent) => (published.push(cloudEvent), Promise.resolve()) },
    });

    await handler(body, context(event.id));

    expect(published).toEqual([toCloudEvent(event, 'func-azl-test')]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'event forwarded to Event Grid',
        eventId: event.id,
        type: 'com.azurelinux.rebuilder.build.failed',
      }),
    );
  });

  test('without a port the message completes unsent, said at debug', async () => {
    const event = sampleEvents['repo.published'];
    const [body] = await bodiesFromTheTopic([event]);
    const { handler, lines, failures } = handlerWith({});

    await expect(handler(body, context(event.id))).resolves.toBeUndefined();

    expect(failures).toEqual([]);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'debug',
        msg: 'event not forwarded: no Event Grid topic is configured',
        eventId: event.id,
      }),
    );
  });

  test('a failure to publish is thrown, so the message goes back', async () => {
    const event = sampleEvents['plan.created'];
    const [body] = await bodiesFromTheTopic([event]);
    const { handler } = handlerWith({
      eventGrid: {
        publish: () => Promise.reject(PipelineError.transient('eventgrid.unavailable', 'answered 503')),
      },
    });

    const error = await failure(Promise.resolve(handler(body, context(event.id))));

    expect(error.code).toBe('eventgrid.unavailable');
  });

  test('a body that is not a pipeline CloudEvent is message.invalid, recorded, and never sent', async () => {
    const published: PipelineCloudEvent[] = [];
    const { handler, failures } = handlerWith({
      eventGrid: { publish: (cloudEvent) => (published.push(cloudEvent), Promise.resolve()) },
    });
    const notOurs = { ...toCloudEvent(sampleEvents['build.started'], 'x'), type: 'com.example.other' };

    const error = await failure(Promise.resolve(handler(notOurs, context('m-bad'))));

    expect(error.code).toBe('message.invalid');
    expect(failures).toEqual([
      expect.objectContaining({
        entity: 'events/subscriptions/event-grid',
        messageId: 'm-bad',
        code: 'message.invalid',
      }),
    ]);
    expect(published).toEqual([]);
  });
});

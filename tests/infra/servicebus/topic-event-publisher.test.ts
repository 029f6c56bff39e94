import type { CloudEvent } from 'cloudevents';
import { HTTP } from 'cloudevents';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startBroker } from '../../../infra/local/broker/broker';
import type { RunningBroker } from '../../../infra/local/broker/broker';
import { closeServiceBusClient, createServiceBusClient, MessageReceiver } from '../../../infra/servicebus';
import type { ServiceBusClient } from '../../../infra/servicebus';
import { TopicEventPublisher } from '../../../infra/servicebus/topic-event-publisher';
import { eventTypes, parseCloudEvent, STRUCTURED_CONTENT_TYPE, toCloudEvent } from '../../../shared/events';
import { topics } from '../../../shared/messaging/entities';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

/** The `events` topic adapter on the local broker, read from the `webhooks` subscription as its consumer will. */
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

test('each event travels as its CloudEvent, id as message id, type and subject as properties; a re-send is dropped', async () => {
  const publisher = new TopicEventPublisher(client, 'broker-test');
  const events = eventTypes.map((type) => sampleEvents[type]);
  await publisher.publish(events);
  await publisher.publish([sampleEvents['build.failed']]);
  await publisher.close();

  const receiver = new MessageReceiver(client, { topic: 'events', subscription: 'webhooks' });
  const received = await receiver.receive(50, 2_000);
  expect(received.map((m) => m.messageId)).toEqual(events.map((e) => e.id));
  for (const [i, message] of received.entries()) {
    const event = events[i]!;
    expect(message.subject).toBe(event.type);
    expect(message.applicationProperties).toMatchObject({ type: event.type, subject: event.subject });
    expect(message.body).toEqual(toCloudEvent(event, 'broker-test'));
    expect(parseCloudEvent(message.body).source).toBe('urn:azl-rebuilder:broker-test');
    // Forwarded as it is, a receiver's SDK takes it.
    const forwarded = HTTP.toEvent({
      headers: { 'content-type': STRUCTURED_CONTENT_TYPE },
      body: JSON.stringify(message.body),
    }) as CloudEvent<unknown>;
    expect(forwarded.type).toBe(`com.azurelinux.rebuilder.${event.type}`);
    await message.complete();
  }
  expect(await receiver.receive(10, 500)).toEqual([]);
  await receiver.close();
}, 30_000);

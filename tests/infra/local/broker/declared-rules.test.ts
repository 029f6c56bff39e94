import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { ServiceBusClient } from '@azure/service-bus';
import { afterEach, describe, expect, test } from 'vitest';
import type { RunningBroker } from '../../../../infra/local/broker/broker';
import { startBroker } from '../../../../infra/local/broker/broker';
import type { NamespaceConfig } from '../../../../infra/local/broker/entity-config';
import { namespaceConfigFrom } from '../../../../infra/local/broker/entity-config';
import { PipelineError } from '../../../../shared/errors';
import type { SubscriptionRuleDefinition, TopicDefinition } from '../../../../shared/messaging/entities';
import { allEntities, topics } from '../../../../shared/messaging/entities';

/** Rules declared in `shared/messaging/entities.ts` are the subscription's rules when the broker starts. */
let broker: RunningBroker | undefined;
let client: ServiceBusClient | undefined;

afterEach(async () => {
  await client?.close();
  await broker?.stop();
  client = undefined;
  broker = undefined;
});

async function start(entities: NamespaceConfig | typeof allEntities): Promise<ServiceBusClient> {
  broker = await startBroker({ entities, tickMs: 50 });
  client = new ServiceBusClient(broker.connectionString);
  return client;
}

async function receiveAll(bus: ServiceBusClient, topic: string, subscription: string) {
  const receiver = bus.createReceiver(topic, subscription, { receiveMode: 'receiveAndDelete' });
  const received: ServiceBusReceivedMessage[] = [];
  for (;;) {
    const got = await receiver.receiveMessages(50, { maxWaitTimeInMs: 300 });
    if (got.length === 0) break;
    received.push(...got);
  }
  await receiver.close();
  return received;
}

async function ruleNames(bus: ServiceBusClient, topic: string, subscription: string): Promise<string[]> {
  const names = [];
  for await (const rule of bus.createRuleManager(topic, subscription).listRules()) names.push(rule.name);
  return names;
}

/** The `events` topic with one test subscription holding `rules`. */
function eventsWith(rules: readonly SubscriptionRuleDefinition[]): NamespaceConfig {
  const events: TopicDefinition = {
    ...topics.events,
    subscriptions: [{ ...topics.events.subscriptions[0], name: 'probe', rules }],
  };
  return namespaceConfigFrom([events]);
}

describe('rules declared per subscription', () => {
  test('the images subscription of events receives only repo.published; webhooks receives every event', async () => {
    const bus = await start(allEntities);
    const events = topics.events.name;
    await bus.createSender(events).sendMessages(
      ['build.started', 'repo.published', 'build.succeeded', 'repo.published'].map((type, i) => ({
        messageId: `event-${i}`,
        subject: type,
        body: { type },
        applicationProperties: { type },
      })),
    );
    const images = await receiveAll(bus, events, 'images');
    expect(images.map((m) => m.messageId)).toEqual(['event-1', 'event-3']);
    expect((await receiveAll(bus, events, 'webhooks')).map((m) => m.subject)).toEqual([
      'build.started',
      'repo.published',
      'build.succeeded',
      'repo.published',
    ]);
    expect(await ruleNames(bus, events, 'images')).toEqual(['$Default']);
  });

  test('declared rules come beside $Default unless one is named $Default; an action changes its copy', async () => {
    const bus = await start(
      eventsWith([
        { name: 'failures', filter: { sql: "type LIKE '%.failed'" }, action: "SET severity = 'high'" },
      ]),
    );
    expect(await ruleNames(bus, 'events', 'probe')).toEqual(['$Default', 'failures']);
    await bus.createSender('events').sendMessages([
      { messageId: 'a', body: 'a', applicationProperties: { type: 'build.failed' } },
      { messageId: 'b', body: 'b', applicationProperties: { type: 'build.started' } },
    ]);
    const received = await receiveAll(bus, 'events', 'probe');
    expect(received.map((m) => [m.messageId, m.applicationProperties?.severity ?? null])).toEqual([
      ['a', null],
      ['a', 'high'],
      ['b', null],
    ]);
  });

  test('a declared rule with a malformed SQL filter stops the start with broker.invalid-rule', async () => {
    const error = await start(eventsWith([{ name: 'broken', filter: { sql: 'type = ' } }])).catch((e) => e);
    expect(error).toBeInstanceOf(PipelineError);
    expect((error as PipelineError).code).toBe('broker.invalid-rule');
    expect((error as PipelineError).message).toMatch(/'broken' of 'events\/subscriptions\/probe'.*column=8/);
  });
});

// Must stay the first import: it installs the fake `@azure/functions-core` before `@azure/functions` loads.
import { fakeFunctionsCore as core } from '../../testing/fakes/functions-core';
import { beforeAll, expect, test } from 'vitest';
import { buildFunctionTable } from '../../functions/catalog';
import { allEntities } from '../../shared/messaging/entities';
import { fakeServices } from '../../testing/fakes/services';

/** What the Azure entry (package.json `main`) registers with the real host. */
beforeAll(async () => {
  await import('../../functions/index');
});

const table = buildFunctionTable(async () => fakeServices());

test('functions/index.ts registers every function of the catalog, once', () => {
  expect(core.registrations.map((r) => r.metadata.name).sort()).toEqual(table.map((f) => f.name).sort());
});

test('every Service Bus trigger names a defined entity with the same session setting', () => {
  for (const registration of core.registrations) {
    const trigger = Object.values(registration.metadata.bindings).find((b) => b.type === 'serviceBusTrigger');
    if (!trigger) continue;
    const entityName = String(trigger.queueName ?? trigger.topicName);
    const entity = allEntities.find((e) => e.name === entityName);
    expect(entity, `${registration.metadata.name} listens on '${entityName}'`).toBeDefined();
    if (entity?.kind === 'queue') expect(Boolean(trigger.isSessionsEnabled)).toBe(entity.requiresSession);
    if (entity?.kind === 'topic') {
      const subscription = entity.subscriptions.find((s) => s.name === trigger.subscriptionName);
      expect(subscription, `${registration.metadata.name} subscription`).toBeDefined();
      expect(Boolean(trigger.isSessionsEnabled)).toBe(subscription?.requiresSession);
    }
    expect(trigger.connection).toBe('ServiceBusConnection');
  }
});

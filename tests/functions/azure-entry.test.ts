// Must stay the first import: it installs the fake `@azure/functions-core` before `@azure/functions` loads.
import { fakeFunctionsCore as core } from '../../testing/fakes/functions-core';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
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

test('the compiled entry loads no ARM SDK: the gallery and Container Apps clients load it at their first call', () => {
  // A fresh Node process, as the host starts one: the modules it holds once the entry is loaded.
  const entry = join(__dirname, '..', '..', 'dist', 'functions', 'index.js');
  const script = `require(${JSON.stringify(entry)});
    process.stdout.write('\\nloaded ' + JSON.stringify(Object.keys(require.cache)));`;
  const output = execFileSync(process.execPath, ['-e', script], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const loaded = JSON.parse(output.slice(output.lastIndexOf('\nloaded ') + 8)) as string[];
  const sdk = (name: string) => loaded.filter((path) => path.includes(`/node_modules/@azure/${name}/`));
  expect(sdk('service-bus').length, 'the SDKs every function uses are loaded').toBeGreaterThan(0);
  expect(sdk('arm-appcontainers')).toEqual([]);
  expect(sdk('arm-compute')).toEqual([]);
}, 30_000);

// Must stay the first import: it installs the fake `@azure/functions-core` before `@azure/functions` loads.
import { fakeFunctionsCore as core } from '../../testing/fakes/functions-core';
import type { CapturedRegistration } from '../../testing/fakes/functions-core';
import { HttpRequest, InvocationContext, app } from '@azure/functions';
import type { HttpResponseInit, ServiceBusQueueHandler, Timer, TimerHandler } from '@azure/functions';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { buildFunctionTable } from '../../functions/catalog';
import { registerTable } from '../../functions/register';
import type { FunctionTable } from '../../functions/table';
import { fakeServices } from '../../testing/fakes/services';

/** The single trigger binding (direction `in`, type `...Trigger`) the host would read for a function. */
function triggerOf(registration: CapturedRegistration): Record<string, unknown> {
  const triggers = Object.values(registration.metadata.bindings).filter(
    (b) => b.direction === 'in' && String(b.type).endsWith('Trigger'),
  );
  expect(triggers).toHaveLength(1);
  return triggers[0] ?? {};
}

function context(functionName: string): InvocationContext {
  return new InvocationContext({
    invocationId: `inv-${functionName}`,
    functionName,
    logHandler: () => undefined,
  });
}

const queueHandler = vi.fn<ServiceBusQueueHandler>(async () => undefined);
const timerHandler = vi.fn<TimerHandler>(async () => undefined);
const table: FunctionTable = [
  {
    kind: 'http',
    name: 'get-build',
    route: 'builds/{id}',
    methods: ['GET', 'POST'],
    authLevel: 'function',
    handler: async (request): Promise<HttpResponseInit> => ({
      status: 200,
      jsonBody: { id: request.params.id },
    }),
  },
  { kind: 'timer', name: 'sweep', schedule: '0 */5 * * * *', runOnStartup: false, handler: timerHandler },
  {
    kind: 'serviceBusQueue',
    name: 'build-worker',
    connection: 'ServiceBusConnection',
    queueName: 'builds',
    isSessionsEnabled: true,
    handler: queueHandler,
  },
  {
    kind: 'serviceBusTopic',
    name: 'event-log',
    connection: 'ServiceBusConnection',
    topicName: 'events',
    subscriptionName: 'event-log',
    isSessionsEnabled: false,
    handler: async () => undefined,
  },
];

describe('registerTable with the Functions host core', () => {
  beforeAll(() => registerTable(app, table));

  it('hands the library programming model to the host', () => {
    expect(core.programmingModel).toBeDefined();
  });

  it('registers an HTTP trigger with route, key auth and methods, plus the http return binding', async () => {
    const registration = core.get('get-build');
    expect(triggerOf(registration)).toMatchObject({
      type: 'httpTrigger',
      route: 'builds/{id}',
      authLevel: 'function',
      methods: ['GET', 'POST'],
    });
    expect(registration.metadata.bindings.$return).toMatchObject({ type: 'http', direction: 'out' });

    const request = new HttpRequest({
      method: 'GET',
      url: 'http://localhost/api/builds/7',
      params: { id: '7' },
    });
    const response = await registration.callback(request, context('get-build'));
    expect(response).toEqual({ status: 200, jsonBody: { id: '7' } });
  });

  it('registers a timer trigger with its six-field schedule that runs the handler', async () => {
    const registration = core.get('sweep');
    expect(triggerOf(registration)).toMatchObject({
      type: 'timerTrigger',
      schedule: '0 */5 * * * *',
      runOnStartup: false,
    });

    const now = new Date().toISOString();
    const timer: Timer = {
      isPastDue: false,
      schedule: { adjustForDST: false },
      scheduleStatus: { last: now, next: now, lastUpdated: now },
    };
    const ctx = context('sweep');
    await registration.callback(timer, ctx);
    expect(timerHandler).toHaveBeenCalledWith(timer, ctx);
  });

  it('registers a session-enabled Service Bus queue trigger that runs the handler', async () => {
    const registration = core.get('build-worker');
    expect(triggerOf(registration)).toMatchObject({
      type: 'serviceBusTrigger',
      queueName: 'builds',
      isSessionsEnabled: true,
      connection: 'ServiceBusConnection',
      autoCompleteMessages: true,
      cardinality: 'one',
    });

    const ctx = context('build-worker');
    await registration.callback({ buildId: 'b1' }, ctx);
    expect(queueHandler).toHaveBeenCalledWith({ buildId: 'b1' }, ctx);
  });

  it('registers a Service Bus topic subscription trigger', () => {
    const trigger = triggerOf(core.get('event-log'));
    expect(trigger).toMatchObject({
      type: 'serviceBusTrigger',
      topicName: 'events',
      subscriptionName: 'event-log',
      isSessionsEnabled: false,
      connection: 'ServiceBusConnection',
    });
    expect(trigger).not.toHaveProperty('queueName');
  });

  it('registers each function exactly once', () => {
    expect(core.registrations.map((r) => r.metadata.name).sort()).toEqual(
      ['build-worker', 'event-log', 'get-build', 'sweep'].sort(),
    );
  });
});

describe('buildFunctionTable', () => {
  it('registers health on GET /api/health without a key', async () => {
    const before = core.registrations.length;
    registerTable(
      app,
      buildFunctionTable(async () => fakeServices()),
    );
    const registration = core.get('health');
    expect(core.registrations.length).toBeGreaterThan(before);
    expect(triggerOf(registration)).toMatchObject({
      type: 'httpTrigger',
      route: 'health',
      authLevel: 'anonymous',
      methods: ['GET'],
    });

    const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/health' });
    const response = (await registration.callback(request, context('health'))) as HttpResponseInit;
    expect(response.status).toBe(200);
    expect(response.jsonBody).toMatchObject({ status: 'healthy', dependencies: [] });
  });
});

describe('the Fedora ingest function', () => {
  // Registered with the rest of the catalog by the test above.
  it('registers POST /api/fedora/messages behind a function key', () => {
    expect(triggerOf(core.get('fedoraIngest'))).toMatchObject({
      type: 'httpTrigger',
      route: 'fedora/messages',
      authLevel: 'function',
      methods: ['POST'],
    });
  });
});

describe('the datagrepper catch-up functions', () => {
  it('registers a timer every five minutes and POST /api/fedora/catch-up behind a function key', () => {
    expect(triggerOf(core.get('fedoraCatchUp'))).toMatchObject({
      type: 'timerTrigger',
      schedule: '0 */5 * * * *',
    });
    expect(triggerOf(core.get('fedoraCatchUpNow'))).toMatchObject({
      type: 'httpTrigger',
      route: 'fedora/catch-up',
      authLevel: 'function',
      methods: ['POST'],
    });
  });
});

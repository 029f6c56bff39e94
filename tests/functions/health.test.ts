import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { expect, test } from 'vitest';
import { healthFunction } from '../../functions/health';
import type { Services } from '../../shared/services';
import { PipelineError } from '../../shared/errors';
import { fakeServices } from '../../testing/fakes/services';

const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/health' });
const context = new InvocationContext({
  invocationId: 'i',
  functionName: 'health',
  logHandler: () => undefined,
});
const call = async (services: () => Promise<Services>) =>
  (await healthFunction(services).handler(request, context)) as HttpResponseInit & {
    jsonBody: { status: string; dependencies: { name: string; state: string; detail: string }[] };
  };
const ingest = { submit: async () => [] };

test('every dependency healthy gives 200; one failing gives 503 with its reason', async () => {
  const ok = await call(async () =>
    fakeServices({ ingest, dependencies: [{ name: 'storage', check: async () => 'answers' }] }),
  );
  expect(ok.status).toBe(200);
  expect(ok.jsonBody.dependencies).toMatchObject([{ name: 'storage', state: 'healthy', detail: 'answers' }]);

  const failing = await call(async () => ({
    ...fakeServices({ ingest }),
    dependencies: [
      { name: 'storage', check: async () => undefined },
      { name: 'serviceBus', check: async () => Promise.reject(new Error('connection refused')) },
    ],
  }));
  expect(failing.status).toBe(503);
  expect(
    failing.jsonBody.dependencies.map((d: { name: string; state: string; detail: string }) => [
      d.name,
      d.state,
      d.detail,
    ]),
  ).toEqual([
    ['storage', 'healthy', 'ok'],
    ['serviceBus', 'unhealthy', 'connection refused'],
  ]);
});

test('settings that cannot be loaded are reported as an unhealthy configuration, naming the setting', async () => {
  const response = await call(() =>
    Promise.reject(
      PipelineError.permanent('settings.invalid', 'invalid app settings: ServiceBusConnection: missing'),
    ),
  );
  expect(response.status).toBe(503);
  expect(response.jsonBody.dependencies).toEqual([
    {
      name: 'configuration',
      state: 'unhealthy',
      detail: expect.stringContaining('ServiceBusConnection'),
      latencyMs: 0,
    },
  ]);
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeApi } from '../../functions/api-description';
import { buildFunctionTable, httpRoutesOf } from '../../functions/catalog';
import { startHttpServer } from '../../hosts/local/functions-host/http-server';
import type { RunningHttpServer } from '../../hosts/local/functions-host/http-server';
import { PipelineError } from '../../shared/errors';
import type { CatchUpResult } from '../../shared/fedora/catch-up/result';
import { silentLogger } from '../../shared/logger';
import type { OpenApiDocument } from '../../shared/openapi/document';
import type { Services } from '../../shared/services';
import type { BuildSummary, StatusReaders } from '../../shared/status/ports';
import { fakeServices } from '../../testing/fakes/services';
import { openApiConformance } from '../../testing/openapi-conformance';
import type { OpenApiConformance } from '../../testing/openapi-conformance';
import { webhooksOnFakes } from '../../testing/webhooks/webhooks-on-fakes';

/**
 * The API answers what its description says: the whole function table over the local host's HTTP server, on
 * fakes at the ports, each answer checked against the document `GET /api/openapi.json` served (its status
 * must be one the operation lists; a JSON body must fit that answer's schema).
 */

const KEY = 'api-answers-key';

const catchUpResult: CatchUpResult = {
  windows: 2,
  messages: 5,
  submitted: 5,
  outcomes: { accepted: 3, duplicate: 1, ignored: 1, rejected: 0 },
  requests: 3,
  checkpointBefore: undefined,
  checkpointAfter: { through: 1_796_464_740 },
  ended: 'caught-up',
  behindSeconds: 0,
};

const AT = '2026-12-06T10:00:00.000Z';
const summary: BuildSummary = {
  buildId: 'zlib-ng@3f2a9c01d4e5b6a7',
  component: 'zlib-ng',
  fingerprint: 'sha256:3f2a',
  planId: 'p1',
  wave: 0,
  state: 'building',
  requestedAt: AT,
  attempts: 1,
  updatedAt: AT,
};

/** Status readers answering one of everything, and `undefined` for ids other than the ones they know. */
const statusReaders: StatusReaders = {
  events: (outcome) =>
    Promise.resolve({
      items: [{ outcome, messageId: null, reason: 'no msg_id', receivedAt: AT }],
      continuationToken: 'next',
    }),
  plans: () =>
    Promise.resolve({
      items: [
        {
          planId: 'p1',
          createdAt: AT,
          messageCount: 1,
          plannedCount: 1,
          skippedCount: 0,
          cycleCount: 0,
          waveCount: 1,
        },
      ],
    }),
  plan: (planId) =>
    Promise.resolve(
      planId !== 'p1'
        ? undefined
        : {
            planId,
            createdAt: AT,
            messageCount: 1,
            plannedCount: 1,
            skippedCount: 0,
            cycleCount: 0,
            waveCount: 1,
            items: {
              items: [
                {
                  component: 'zlib-ng',
                  wave: 0,
                  priority: 0,
                  fingerprint: 'sha256:3f2a',
                  reasons: [
                    {
                      messageId: 'm-1',
                      kind: 'koji.tag',
                      package: 'zlib',
                      component: 'zlib',
                      path: [{ from: 'zlib', buildRequire: 'pkgconfig(zlib)' }],
                    },
                  ],
                  reasonCount: 1,
                },
              ],
            },
          },
    ),
  builds: () => Promise.resolve({ items: [summary] }),
  build: () => Promise.resolve(undefined),
  component: (name) =>
    Promise.resolve({
      component: name,
      effectiveError: { code: 'distro.invalid', message: 'no tree' },
      recentBuilds: [summary],
    }),
  repositories: () =>
    Promise.resolve({
      items: [
        {
          repository: 'base/x86_64',
          revision: 3,
          packageCount: 12,
          lastPublishedAt: AT,
          baseUrl: 'http://127.0.0.1/repos/base/x86_64/',
          repoFileUrl: 'http://127.0.0.1/repos/base/x86_64/azl-base-x86_64.repo',
          dnf: 'dnf repoquery',
        },
      ],
    }),
  failures: () =>
    Promise.resolve({
      items: [
        {
          entity: 'builds',
          messageId: 'b-1',
          code: 'message.invalid',
          message: 'bad',
          retryable: false,
          context: { field: 'component', attempt: 2, retry: false, none: null },
          deliveryCount: 1,
          at: AT,
        },
      ],
    }),
};

function servicesFor(over: Partial<Services>): Services {
  const webhooks = webhooksOnFakes({ now: () => new Date('2026-12-06T10:00:00Z') });
  return fakeServices({
    dependencies: [
      { name: 'storage', check: () => Promise.resolve('ok') },
      { name: 'servicebus', check: () => Promise.reject(new Error('connection refused')) },
    ],
    ingest: {
      submit: (messages) =>
        Promise.resolve(
          messages.map((_, i) =>
            i === 0
              ? { id: 'm-1', topic: 'org.fedoraproject.prod.buildsys.tag', outcome: 'accepted' as const }
              : { id: undefined, topic: undefined, outcome: 'rejected' as const, reason: 'topic: required' },
          ),
        ),
    },
    catchUp: () => Promise.resolve(catchUpResult),
    webhooks: webhooks.subscriptions,
    webhookDelivery: webhooks.delivery,
    ...over,
  });
}

let server: RunningHttpServer;
let served: OpenApiDocument;
let conformance: OpenApiConformance;

async function start(services: Services): Promise<RunningHttpServer> {
  return startHttpServer({
    functions: httpRoutesOf(buildFunctionTable(() => Promise.resolve(services))),
    port: 0,
    functionKeys: { default: KEY },
    logger: silentLogger,
  });
}

/** Calls `path` and checks the answer against the operation `template` of the served document. */
async function call(
  method: string,
  template: string,
  path: string,
  body?: unknown,
  on: RunningHttpServer = server,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${on.url}/api${path}`, {
    method,
    headers: {
      'x-functions-key': KEY,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type') ?? '';
  const json: unknown = contentType.includes('json') ? JSON.parse(text) : text;
  expect(
    conformance.problemsWith(template, method, response.status, json, text === '' ? '' : contentType),
    `${method} ${path}`,
  ).toEqual([]);
  return { status: response.status, body: json };
}

beforeAll(async () => {
  server = await start(servicesFor({}));
  const response = await fetch(`${server.url}/api/openapi.json`);
  expect(response.status).toBe(200);
  served = (await response.json()) as OpenApiDocument;
  conformance = openApiConformance(served);
});
afterAll(() => server.close());

describe('the API as its description says', () => {
  it('serves the document at /api/openapi.json without a key, the same the builder gives', () => {
    const routes = httpRoutesOf(buildFunctionTable(() => Promise.reject(new Error('unused'))));
    expect(served).toEqual(JSON.parse(JSON.stringify(describeApi(routes))));
  });

  it('health, ingest and catch-up answer as described', async () => {
    expect((await call('GET', '/health', '/health')).status).toBe(503);
    const ingested = await call('POST', '/fedora/messages', '/fedora/messages', [{ a: 1 }, { b: 2 }]);
    expect(ingested.status).toBe(202);
    expect((await call('POST', '/fedora/messages', '/fedora/messages', '{not json')).status).toBe(400);
    expect((await call('POST', '/fedora/catch-up', '/fedora/catch-up')).status).toBe(200);
    expect((await call('GET', '/webhooks/event-types', '/webhooks/event-types')).status).toBe(200);
    expect((await call('GET', '/openapi.json', '/openapi.json')).status).toBe(200);
  });

  it('the webhook subscription API answers as described, from creation to deletion', async () => {
    const created = await call('POST', '/webhooks', '/webhooks', {
      url: 'http://127.0.0.1:9/hook',
      events: ['build.failed'],
      filters: { components: ['zlib-ng'] },
    });
    expect(created.status).toBe(201);
    const id = (created.body as { id: string }).id;
    expect((await call('POST', '/webhooks', '/webhooks', { url: 'x', events: [] })).status).toBe(400);
    expect((await call('GET', '/webhooks', '/webhooks')).status).toBe(200);
    expect((await call('GET', '/webhooks/{id}', `/webhooks/${id}`)).status).toBe(200);
    expect((await call('GET', '/webhooks/{id}', '/webhooks/ep_999')).status).toBe(404);
    expect((await call('PATCH', '/webhooks/{id}', `/webhooks/${id}`, { description: 'd' })).status).toBe(200);
    expect((await call('POST', '/webhooks/{id}/rotate-secret', `/webhooks/${id}/rotate-secret`)).status).toBe(
      200,
    );
    expect((await call('POST', '/webhooks/{id}/ping', `/webhooks/${id}/ping`)).status).toBe(202);
    const deliveries = `/webhooks/${id}/deliveries`;
    expect((await call('GET', '/webhooks/{id}/deliveries', `${deliveries}?limit=10`)).status).toBe(200);
    expect((await call('GET', '/webhooks/{id}/deliveries', `${deliveries}?limit=0`)).status).toBe(400);
    const since = '2026-12-06T09:00:00Z';
    expect(
      (await call('POST', '/webhooks/{id}/recover', `/webhooks/${id}/recover?since=${since}`)).status,
    ).toBe(202);
    const redeliver = '/webhooks/{id}/deliveries/{deliveryId}/redeliver';
    expect((await call('POST', redeliver, `${deliveries}/dlv_none/redeliver`)).status).toBe(404);
    expect((await call('PATCH', '/webhooks/{id}', `/webhooks/${id}`, { enabled: false })).status).toBe(200);
    expect((await call('POST', '/webhooks/{id}/ping', `/webhooks/${id}/ping`)).status).toBe(409);
    expect((await call('DELETE', '/webhooks/{id}', `/webhooks/${id}`)).status).toBe(204);
  });

  it('the status API answers as described: pages, one of each, unknown ids and bad queries', async () => {
    const on = await start(servicesFor({ status: statusReaders }));
    try {
      const get = (template: string, path: string) => call('GET', template, path, undefined, on);
      expect((await get('/events', '/events?outcome=rejected')).status).toBe(200);
      expect((await get('/events', '/events?outcome=lost')).status).toBe(400);
      expect((await get('/plans', '/plans?limit=5')).status).toBe(200);
      expect((await get('/plans/{id}', '/plans/p1')).status).toBe(200);
      expect((await get('/plans/{id}', '/plans/p2')).status).toBe(404);
      expect((await get('/builds', '/builds?state=building')).status).toBe(200);
      expect((await get('/builds', '/builds?limit=0')).status).toBe(400);
      expect((await get('/builds/{id}', '/builds/zlib-ng@00')).status).toBe(404);
      expect((await get('/components/{name}', '/components/zlib-ng')).status).toBe(200);
      expect((await get('/repos', '/repos')).status).toBe(200);
      expect((await get('/failures', '/failures?entity=builds')).status).toBe(200);
    } finally {
      await on.close();
    }
  });

  it('an instance without status, images or dashboard answers 503 as described', async () => {
    expect((await call('GET', '/builds', '/builds')).status).toBe(503);
    expect((await call('GET', '/components/{name}', '/components/zlib-ng')).status).toBe(503);
    expect((await call('GET', '/images', '/images')).status).toBe(503);
    expect((await call('POST', '/images/{name}/builds', '/images/azl-base/builds')).status).toBe(503);
    expect((await call('GET', '/dashboard', '/dashboard')).status).toBe(503);
  });

  it('a store that is down answers 503 with Retry-After, as described', async () => {
    const down = await start(
      servicesFor({
        catchUp: () => Promise.reject(PipelineError.transient('datagrepper.unavailable', 'no answer')),
      }),
    );
    try {
      expect((await call('POST', '/fedora/catch-up', '/fedora/catch-up', undefined, down)).status).toBe(503);
    } finally {
      await down.close();
    }
  });

  it('images and the dashboard answer as described', async () => {
    const record = {
      image: 'azl-base',
      version: '20261206.1',
      fingerprint: 'sha256:ab',
      requestedAt: AT,
      state: 'failed' as const,
      history: [
        { state: 'queued' as const, at: AT },
        { state: 'failed' as const, at: AT, detail: 'kiwi failed' },
      ],
      error: { code: 'image.build-failed', message: 'kiwi failed', retryable: false },
    };
    const on = await start(
      servicesFor({
        imageRecords: {
          get: () => Promise.resolve(undefined),
          put: () => Promise.resolve(),
          versions: (image) => Promise.resolve(image === 'azl-base' ? [record] : []),
          latest: () => Promise.resolve([record]),
        },
        dashboard: {
          read: (name) =>
            Promise.resolve(
              name === 'index.html'
                ? {
                    body: new TextEncoder().encode('<!doctype html>'),
                    contentType: 'text/html; charset=utf-8',
                  }
                : name === 'app.js'
                  ? {
                      body: new TextEncoder().encode('export {}'),
                      contentType: 'text/javascript; charset=utf-8',
                    }
                  : undefined,
            ),
        },
      }),
    );
    try {
      const get = (template: string, path: string) => call('GET', template, path, undefined, on);
      expect((await get('/images', '/images')).status).toBe(200);
      expect((await get('/images/{name}', '/images/azl-base')).status).toBe(200);
      expect((await get('/images/{name}', '/images/azl-none')).status).toBe(404);
      expect((await get('/dashboard', '/dashboard')).status).toBe(200);
      expect((await get('/dashboard/{file}', '/dashboard/app.js')).status).toBe(200);
      expect((await get('/dashboard/{file}', '/dashboard/nope.js')).status).toBe(404);
    } finally {
      await on.close();
    }
  });

  it('the check fails an answer the description does not list, or a body that does not fit', () => {
    expect(conformance.problemsWith('/health', 'GET', 418, {})).toEqual([
      'undocumented status 418 of GET /health',
    ]);
    expect(conformance.problemsWith('/health', 'GET', 200, { status: 'fine' }).length).toBeGreaterThan(0);
    expect(conformance.problemsWith('/dashboard', 'GET', 200, 'x', 'text/plain')).toEqual([
      'content type text/plain of 200 is not described (text/html)',
    ]);
    expect(conformance.problemsWith('/webhooks/{id}', 'DELETE', 204, '', 'application/json')).toEqual([
      'content type application/json of 204 is not described (no body)',
    ]);
  });
});

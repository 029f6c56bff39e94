import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildFunctionTable } from '../../functions/catalog';
import type { HttpFunction } from '../../functions/table';
import { webhookFunctions } from '../../functions/webhooks';
import { createHttpRouter } from '../../hosts/local/functions-host/http-router';
import { startHttpServer } from '../../hosts/local/functions-host/http-server';
import type { RunningHttpServer } from '../../hosts/local/functions-host/http-server';
import { PipelineError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { strictDestinationPolicy } from '../../shared/webhooks/destination-policy';
import { WebhookSubscriptions } from '../../shared/webhooks/subscriptions';
import type { SubscriptionStore } from '../../shared/webhooks/subscriptions';
import { randomWebhookSecret } from '../../infra/webhooks/random-webhook-secret';
import { fakeServices } from '../../testing/fakes/services';
import { MemorySubscriptionStore } from '../../testing/fakes/subscription-store';
import { capturedLogs } from './captured-logs';

type Json = HttpResponseInit & { jsonBody: Record<string, unknown> };

const context = () =>
  new InvocationContext({ invocationId: 'i', functionName: 'webhooks', logHandler: () => undefined });

function api(store: SubscriptionStore = new MemorySubscriptionStore(), logger?: Logger) {
  let ids = 0;
  const webhooks = new WebhookSubscriptions({
    store,
    policy: strictDestinationPolicy,
    newSecret: () => randomWebhookSecret(),
    newId: () => `ep_${++ids}`,
    now: () => new Date(),
  });
  const functions = webhookFunctions(() =>
    Promise.resolve(fakeServices({ webhooks, ...(logger ? { logger } : {}) })),
  );
  const router = createHttpRouter(functions);
  /** The request as the local host routes it: path to function and params, then the handler. */
  return async (method: string, path: string, body?: unknown): Promise<Json> => {
    const found = router.resolve(method, path);
    if (found.kind !== 'found') throw new Error(`${method} ${path}: ${found.kind}`);
    const request = new HttpRequest({
      method,
      url: `http://localhost/api/${path}`,
      params: found.params,
      ...(body === undefined
        ? {}
        : { body: { string: typeof body === 'string' ? body : JSON.stringify(body) } }),
    });
    return (await found.fn.handler(request, context())) as Json;
  };
}

const url = 'https://ci.example.com/hooks/azl';

describe('webhook subscription API', () => {
  test('every route is behind the function key', () => {
    const all = webhookFunctions(() => Promise.resolve(fakeServices()));
    expect(all.map((fn) => `${fn.methods.join()} ${fn.route} ${fn.authLevel}`)).toEqual([
      'POST webhooks function',
      'GET webhooks function',
      'GET webhooks/{id} function',
      'PATCH webhooks/{id} function',
      'DELETE webhooks/{id} function',
      'POST webhooks/{id}/rotate-secret function',
      'POST webhooks/{id}/ping function',
      'GET webhooks/{id}/deliveries function',
      'POST webhooks/{id}/deliveries/{deliveryId}/redeliver function',
      'POST webhooks/{id}/recover function',
    ]);
  });

  test('webhooks/event-types stays the catalogue, not a subscription id, in the app function table', () => {
    const router = createHttpRouter(
      buildFunctionTable(() => Promise.resolve(fakeServices())).filter(
        (entry): entry is HttpFunction => entry.kind === 'http',
      ),
    );
    const eventTypes = router.resolve('GET', 'webhooks/event-types');
    expect(eventTypes.kind === 'found' && eventTypes.fn.name).toBe('webhookEventTypes');
    const one = router.resolve('GET', 'webhooks/ep_1');
    expect(one.kind === 'found' && [one.fn.name, one.params]).toEqual(['webhooksGet', { id: 'ep_1' }]);
  });

  test('create answers 201 with the secret once; list and get never show it', async () => {
    const store = new MemorySubscriptionStore();
    const call = api(store);
    const created = await call('POST', 'webhooks', {
      url,
      events: ['build.failed'],
      filters: { components: ['zlib-ng'] },
      description: 'CI',
    });
    expect(created.status).toBe(201);
    const secret = created.jsonBody['secret'] as string;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.jsonBody).toMatchObject({ id: 'ep_1', url, events: ['build.failed'], enabled: true });
    expect(store.rows.get('ep_1')?.secrets.current).toBe(secret);
    const list = await call('GET', 'webhooks');
    const one = await call('GET', 'webhooks/ep_1');
    expect(list.status).toBe(200);
    expect((list.jsonBody['items'] as unknown[]).length).toBe(1);
    expect(one.jsonBody).toMatchObject({ id: 'ep_1', description: 'CI', format: 'cloudevents' });
    for (const answer of [list, one]) {
      expect(JSON.stringify(answer.jsonBody)).not.toContain(secret);
      expect(JSON.stringify(answer.jsonBody)).not.toContain('whsec_');
    }
  });

  test.each([
    [{ url: 'https://10.1.2.3/hook', events: ['*'] }, 'webhook.destination-refused', 'url'],
    [{ url: 'https://[::ffff:127.0.0.1]/hook', events: ['*'] }, 'webhook.destination-refused', 'url'],
    [{ url, events: ['build.exploded'] }, 'webhook.invalid-subscription', 'events.0'],
    [{ url, events: ['*'], description: 'x'.repeat(501) }, 'webhook.invalid-subscription', 'description'],
    [
      { url, events: ['*'], filters: { channels: Array.from({ length: 101 }, () => 'base') } },
      'webhook.invalid-subscription',
      'filters.channels',
    ],
    ['{not json', 'webhook.invalid-subscription', 'body'],
  ])('POST %j answers 400 %s naming %s, and stores nothing', async (body, code, field) => {
    const store = new MemorySubscriptionStore();
    const answer = await api(store)('POST', 'webhooks', body);
    expect(answer.status).toBe(400);
    expect(answer.jsonBody['code']).toBe(code);
    expect(answer.jsonBody['message']).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(store.rows.size).toBe(0);
  });

  test('PATCH changes the given fields; an invalid one answers 400 and changes nothing', async () => {
    const store = new MemorySubscriptionStore();
    const call = api(store);
    await call('POST', 'webhooks', { url, events: ['*'] });
    const patched = await call('PATCH', 'webhooks/ep_1', { enabled: false, filters: { channels: ['base'] } });
    expect(patched.status).toBe(200);
    expect(patched.jsonBody).toMatchObject({ enabled: false, filters: { channels: ['base'] } });
    expect(JSON.stringify(patched.jsonBody)).not.toContain('whsec_');
    const before = structuredClone(store.rows.get('ep_1'));
    const refused = await call('PATCH', 'webhooks/ep_1', { url: 'https://169.254.169.254/', enabled: true });
    expect([refused.status, refused.jsonBody['code']]).toEqual([400, 'webhook.destination-refused']);
    expect(store.rows.get('ep_1')).toEqual(before);
  });

  test('rotate-secret answers the new secret once; both secrets are in the stored set', async () => {
    const store = new MemorySubscriptionStore();
    const call = api(store);
    const first = (await call('POST', 'webhooks', { url, events: ['*'] })).jsonBody['secret'];
    const rotated = await call('POST', 'webhooks/ep_1/rotate-secret');
    expect(rotated.status).toBe(200);
    const second = rotated.jsonBody['secret'];
    expect(second).not.toBe(first);
    const set = store.rows.get('ep_1')?.secrets;
    expect(set?.current).toBe(second);
    expect(set?.previous.map((retired) => retired.secret)).toEqual([first]);
    expect(JSON.stringify((await call('GET', 'webhooks/ep_1')).jsonBody)).not.toContain('whsec_');
  });

  test('DELETE answers 204, then the id is 404 everywhere', async () => {
    const call = api();
    await call('POST', 'webhooks', { url, events: ['*'] });
    expect((await call('DELETE', 'webhooks/ep_1')).status).toBe(204);
    for (const [method, path, body] of [
      ['GET', 'webhooks/ep_1'],
      ['PATCH', 'webhooks/ep_1', { enabled: true }],
      ['DELETE', 'webhooks/ep_1'],
      ['POST', 'webhooks/ep_1/rotate-secret'],
    ] as const) {
      const answer = await call(method, path, body);
      expect([answer.status, answer.jsonBody['code']]).toEqual([404, 'webhook.unknown-subscription']);
    }
  });

  test('a store that is down answers 503 with Retry-After, and the log holds no secret', async () => {
    const { logger, lines } = capturedLogs();
    const store = new MemorySubscriptionStore();
    const healthy = api(store, logger);
    const secret = (await healthy('POST', 'webhooks', { url, events: ['*'] })).jsonBody['secret'] as string;
    await healthy('POST', 'webhooks/ep_1/rotate-secret');
    const down = (): Promise<never> =>
      Promise.reject(PipelineError.transient('storage.unavailable', 'storage answered 503'));
    const broken = api({ insert: down, get: down, list: down, update: down, delete: down }, logger);
    const answer = await broken('GET', 'webhooks');
    expect([answer.status, answer.jsonBody['code']]).toEqual([503, 'storage.unavailable']);
    expect(answer.headers).toMatchObject({ 'retry-after': '10' });
    expect(lines.some((line) => line.msg === 'webhook subscription request failed')).toBe(true);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain('whsec_');
  });

  test('without a subscription service the routes answer 503 webhook.not-configured', async () => {
    const [create] = webhookFunctions(() => Promise.resolve(fakeServices()));
    const request = new HttpRequest({
      method: 'POST',
      url: 'http://localhost/api/webhooks',
      body: { string: '{}' },
    });
    const answer = (await (create as HttpFunction).handler(request, context())) as Json;
    expect([answer.status, answer.jsonBody['code']]).toEqual([503, 'webhook.not-configured']);
  });
});

describe('webhook subscription API on the local functions host', () => {
  const key = 'webhooks-test-key';
  const { logger, lines } = capturedLogs();
  const store = new MemorySubscriptionStore();
  let server: RunningHttpServer;
  const call = (method: string, path: string, body?: unknown, withKey = true) =>
    fetch(`${server.url}/api/${path}`, {
      method,
      headers: withKey ? { 'x-functions-key': key } : {},
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  beforeAll(async () => {
    const webhooks = new WebhookSubscriptions({
      store,
      policy: { allowLoopback: true },
      newSecret: () => randomWebhookSecret(),
      newId: () => `ep_${store.rows.size + 1}`,
      now: () => new Date(),
    });
    const functions = buildFunctionTable(() => Promise.resolve(fakeServices({ webhooks, logger }))).filter(
      (entry): entry is HttpFunction => entry.kind === 'http',
    );
    server = await startHttpServer({ functions, port: 0, functionKeys: { default: key }, logger });
  });
  afterAll(() => server.close());

  test('the routes need the function key', async () => {
    expect((await call('GET', 'webhooks', undefined, false)).status).toBe(401);
    expect((await call('POST', 'webhooks', { url, events: ['*'] }, false)).status).toBe(401);
    expect(store.rows.size).toBe(0);
  });

  test('event-types still answers the catalogue beside webhooks/{id}', async () => {
    const answer = await call('GET', 'webhooks/event-types');
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { types: unknown[] }).types.length).toBeGreaterThan(5);
  });

  test('create, read, rotate and delete over HTTP; no secret in a read or in the host log', async () => {
    const created = await call('POST', 'webhooks', { url: 'http://127.0.0.1:9/hook', events: ['*'] });
    expect(created.status).toBe(201);
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    const read = await (await call('GET', `webhooks/${id}`)).text();
    expect(JSON.parse(read)).toMatchObject({ id, url: 'http://127.0.0.1:9/hook' });
    const rotated = (await (await call('POST', `webhooks/${id}/rotate-secret`)).json()) as { secret: string };
    const listed = await (await call('GET', 'webhooks')).text();
    for (const text of [read, listed]) expect(text).not.toContain('whsec_');
    expect((await call('DELETE', `webhooks/${id}`)).status).toBe(204);
    expect((await call('GET', `webhooks/${id}`)).status).toBe(404);
    expect(lines.length).toBeGreaterThan(0);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(rotated.secret);
  });
});

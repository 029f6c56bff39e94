import { HttpResponse } from '@azure/functions';
import type { HttpRequest } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpFunction } from '../../../functions/table';
import { startHttpServer } from '../../../hosts/local/functions-host/http-server';
import type { RunningHttpServer } from '../../../hosts/local/functions-host/http-server';
import { createJsonLogger } from '../../../infra/telemetry/logger';
import { PipelineError } from '../../../shared/errors';

const KEY = 'local-test-key';
const logLines: Record<string, unknown>[] = [];
const logger = createJsonLogger({ level: 'debug', sink: (line) => logLines.push(JSON.parse(line)) });

const http = (fn: Omit<HttpFunction, 'kind' | 'authLevel'> & Partial<HttpFunction>): HttpFunction => ({
  kind: 'http',
  authLevel: 'anonymous',
  ...fn,
});

const functions: HttpFunction[] = [
  http({
    name: 'get-build',
    route: 'builds/{id:int}',
    methods: ['GET'],
    handler: async (req) => ({ jsonBody: { id: req.params.id, tag: req.query.getAll('tag') } }),
  }),
  http({
    name: 'latest-build',
    route: 'builds/latest',
    methods: ['GET'],
    handler: async () => ({ body: 'latest' }),
  }),
  http({
    name: 'packages',
    route: 'packages/{name}/{version?}',
    methods: ['GET'],
    handler: async (req) => ({ jsonBody: { ...req.params } }),
  }),
  http({
    name: 'echo',
    route: 'echo',
    methods: ['POST', 'PUT'],
    authLevel: 'function',
    handler: async (req: HttpRequest) => {
      const body = await req.json();
      return new HttpResponse({ status: 201, jsonBody: { received: body }, headers: { 'x-echo': 'yes' } });
    },
  }),
  http({
    name: 'boom',
    route: 'boom',
    methods: ['GET'],
    handler: async () => {
      throw new Error('secret internal detail');
    },
  }),
];

describe('local host HTTP server', () => {
  let server: RunningHttpServer;
  const api = (path: string, init?: RequestInit): Promise<Response> =>
    fetch(`${server.url}/api/${path}`, init);

  beforeAll(async () => {
    server = await startHttpServer({ functions, port: 0, functionKeys: { default: KEY }, logger });
  });
  afterAll(() => server.close());

  it('listens on an ephemeral loopback port', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
  });

  it('routes with constrained parameters and passes the query through', async () => {
    const res = await api('builds/42?tag=a&tag=b');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toEqual({ id: '42', tag: ['a', 'b'] });
  });

  it('prefers a literal route over a parameter and rejects values failing a constraint', async () => {
    expect(await (await api('builds/latest')).text()).toBe('latest');
    expect((await api('builds/not-a-number')).status).toBe(404);
  });

  it('fills optional parameters when present and omits them when absent', async () => {
    expect(await (await api('packages/bash/5.2')).json()).toEqual({ name: 'bash', version: '5.2' });
    expect(await (await api('packages/bash')).json()).toEqual({ name: 'bash' });
    expect(await (await api('packages/gcc%2B%2B')).json()).toEqual({ name: 'gcc++' });
  });

  it('answers 404 JSON for unknown routes', async () => {
    for (const url of [`${server.url}/api/nope`, `${server.url}/elsewhere`]) {
      const res = await fetch(url);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code: 'http.not-found' });
    }
  });

  it('answers 405 with Allow for a known route and another method', async () => {
    const res = await api('builds/42', { method: 'DELETE' });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET');
    expect(await res.json()).toMatchObject({ code: 'http.method-not-allowed' });
  });

  const post = (path: string, headers: Record<string, string> = {}): Promise<Response> =>
    api(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ pkg: 'bash', n: 1 }),
    });

  it('accepts the function key in the x-functions-key header and round-trips a JSON body', async () => {
    const res = await post('echo', { 'x-functions-key': KEY });
    expect(res.status).toBe(201);
    expect(res.headers.get('x-echo')).toBe('yes');
    expect(await res.json()).toEqual({ received: { pkg: 'bash', n: 1 } });
  });

  it('accepts the function key in the code query parameter', async () => {
    const res = await post(`echo?code=${KEY}`);
    expect(res.status).toBe(201);
  });

  it('answers 401 JSON without a key or with a wrong one', async () => {
    for (const res of [
      await post('echo'),
      await post('echo', { 'x-functions-key': 'wrong' }),
      await post('echo?code='),
    ]) {
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ code: 'http.unauthorized' });
    }
  });

  it('turns a throwing handler into a 500 JSON with a request id and no internals', async () => {
    const res = await api('boom');
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'http.handler-failed', requestId: expect.any(String) });
    expect(JSON.stringify(body)).not.toContain('secret internal detail');
    const logged = logLines.find((l) => l.msg === 'http function failed');
    expect(logged).toMatchObject({ requestId: body.requestId, error: { message: 'secret internal detail' } });
  });

  it('rejects a second server on the same port with host.port-in-use', async () => {
    const attempt = startHttpServer({ functions, port: server.port, functionKeys: { default: KEY }, logger });
    await expect(attempt).rejects.toSatisfy(
      (e) => PipelineError.is(e, 'host.port-in-use') && e.message.includes(String(server.port)),
    );
  });
});

describe('local host HTTP server limits', () => {
  it('answers 413 for a body over maxBodyBytes', async () => {
    const server = await startHttpServer({
      functions,
      port: 0,
      functionKeys: { default: KEY },
      logger,
      maxBodyBytes: 16,
    });
    try {
      const res = await fetch(`${server.url}/api/echo?code=${KEY}`, {
        method: 'POST',
        body: 'x'.repeat(1024),
      });
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({ code: 'http.body-too-large' });
    } finally {
      await server.close();
    }
  });

  it('refuses an invalid route template at start', async () => {
    const bad = http({ name: 'bad', route: 'x/{id:nonsense}', methods: ['GET'], handler: async () => ({}) });
    await expect(
      startHttpServer({ functions: [bad], port: 0, functionKeys: { default: KEY }, logger }),
    ).rejects.toSatisfy((e) => PipelineError.is(e, 'host.invalid-route'));
  });
});

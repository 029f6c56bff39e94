import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { statusFunctions } from '../../functions/status';
import type { HttpFunction } from '../../functions/table';
import type { BuildSummary, Page, PageRequest, StatusReaders } from '../../shared/status/ports';
import type { BuildRecord } from '../../shared/build-worker';
import { PipelineError } from '../../shared/errors';
import { fakeServices } from '../../testing/fakes/services';

const context = new InvocationContext({
  invocationId: 'i',
  functionName: 'status',
  logHandler: () => undefined,
});

/** Builds held in memory; the fake's token is the index of the next item (the readers' own format is opaque). */
function fakeReaders(builds: readonly BuildSummary[], over: Partial<StatusReaders> = {}): StatusReaders {
  const paged = <T>(items: readonly T[], page: PageRequest): Page<T> => {
    const start =
      page.continuationToken === undefined ? 0 : Number(page.continuationToken.replace('at-', ''));
    if (!Number.isInteger(start)) throw PipelineError.permanent('status.invalid-token', 'bad token', {});
    const next = start + page.limit;
    return {
      items: items.slice(start, next),
      ...(next < items.length ? { continuationToken: `at-${next}` } : {}),
    };
  };
  const empty = <T>(): Promise<Page<T>> => Promise.resolve({ items: [] });
  return {
    events: () => empty(),
    plans: () => empty(),
    plan: () => Promise.resolve(undefined),
    builds: (filter, page) =>
      Promise.resolve(
        paged(
          builds.filter(
            (b) =>
              (filter.component === undefined || b.component === filter.component) &&
              (filter.state === undefined || b.state === filter.state),
          ),
          page,
        ),
      ),
    build: (id) =>
      Promise.resolve(builds.find((b) => b.buildId === id) as unknown as BuildRecord | undefined),
    component: () => Promise.resolve(undefined),
    repositories: () => empty(),
    failures: () => empty(),
    ...over,
  };
}

const summary = (component: string, n: number, state: BuildSummary['state']): BuildSummary => ({
  buildId: `${component}@${n.toString(16).padStart(16, '0')}`,
  component,
  fingerprint: `sha256:${n.toString(16).padStart(64, '0')}`,
  planId: 'plan-1',
  wave: 0,
  state,
  requestedAt: '2026-12-01T00:00:00.000Z',
  attempts: 1,
  updatedAt: '2026-12-01T00:00:00.000Z',
});

const builds = Array.from({ length: 120 }, (_, i) =>
  summary(i % 2 ? 'zlib' : 'bash', i, i % 3 ? 'succeeded' : 'failed'),
);

function functionNamed(readers: StatusReaders | undefined, route: string): HttpFunction {
  const services = fakeServices(readers ? { status: readers } : {});
  const fn = statusFunctions(() => Promise.resolve(services)).find((f) => f.route === route);
  if (!fn) throw new Error(`no function for ${route}`);
  return fn;
}

type Json = HttpResponseInit & { jsonBody: Record<string, unknown> };

async function call(
  route: string,
  url: string,
  params: Record<string, string> = {},
  readers = fakeReaders(builds),
) {
  const request = new HttpRequest({ method: 'GET', url: `http://localhost/api/${url}`, params });
  return (await functionNamed(readers, route).handler(request, context)) as Json;
}

describe('status API handlers', () => {
  it('are GET functions behind a function key', () => {
    const all = statusFunctions(() => Promise.resolve(fakeServices()));
    expect(all.map((f) => f.route).sort()).toEqual(
      [
        'builds',
        'builds/{id}',
        'components/{name}',
        'events',
        'failures',
        'plans',
        'plans/{id}',
        'repos',
      ].sort(),
    );
    for (const fn of all) expect([fn.authLevel, fn.methods]).toEqual(['function', ['GET']]);
  });

  it('pages with the default limit of 50 and hands the continuation token back', async () => {
    const first = await call('builds', 'builds');
    expect(first.status).toBe(200);
    expect((first.jsonBody['items'] as unknown[]).length).toBe(50);
    const token = first.jsonBody['continuationToken'] as string;
    expect(token).toBe('at-50');
    const last = await call('builds', `builds?limit=200&continuationToken=${token}`);
    expect((last.jsonBody['items'] as BuildSummary[]).map((b) => b.buildId)).toEqual(
      builds.slice(50).map((b) => b.buildId),
    );
    expect(last.jsonBody['continuationToken']).toBeUndefined();
  });

  it('passes the component and state filters to the reader', async () => {
    const answer = await call('builds', 'builds?component=zlib&state=failed&limit=200');
    const items = answer.jsonBody['items'] as BuildSummary[];
    expect(items.length).toBe(builds.filter((b) => b.component === 'zlib' && b.state === 'failed').length);
    expect(new Set(items.map((b) => `${b.component}:${b.state}`))).toEqual(new Set(['zlib:failed']));
  });

  it.each([
    ['builds?limit=0', 'status.invalid-query'],
    ['builds?limit=201', 'status.invalid-query'],
    ['builds?limit=ten', 'status.invalid-query'],
    ['builds?limit=2.5', 'status.invalid-query'],
    ['builds?state=cooking', 'status.invalid-query'],
    ['builds?continuationToken=at-x', 'status.invalid-token'],
  ])('answers 400 with a JSON code for %s', async (url, code) => {
    const answer = await call('builds', url);
    expect(answer.status).toBe(400);
    expect(answer.jsonBody).toMatchObject({ code });
    expect(typeof answer.jsonBody['message']).toBe('string');
  });

  it('refuses an unknown event outcome', async () => {
    const answer = await call('events', 'events?outcome=maybe');
    expect([answer.status, answer.jsonBody['code']]).toEqual([400, 'status.invalid-query']);
  });

  it('reads accepted events by default and rejected ones when asked', async () => {
    const asked: string[] = [];
    const readers = fakeReaders(builds, {
      events: (outcome) => {
        asked.push(outcome);
        return Promise.resolve({ items: [] });
      },
    });
    await call('events', 'events', {}, readers);
    await call('events', 'events?outcome=rejected', {}, readers);
    expect(asked).toEqual(['accepted', 'rejected']);
  });

  it('answers a known build id with its record and an unknown one with 404', async () => {
    const known = builds[7] as BuildSummary;
    const hit = await call('builds/{id}', `builds/${known.buildId}`, { id: known.buildId });
    expect([hit.status, hit.jsonBody['buildId']]).toEqual([200, known.buildId]);
    const miss = await call('builds/{id}', 'builds/nope@0000000000000000', { id: 'nope@0000000000000000' });
    expect([miss.status, miss.jsonBody['code']]).toEqual([404, 'status.unknown-build']);
  });

  it('answers 404 for unknown plans and components', async () => {
    const plan = await call('plans/{id}', 'plans/plan-x', { id: 'plan-x' });
    const component = await call('components/{name}', 'components/ghost', { name: 'ghost' });
    expect([plan.status, plan.jsonBody['code']]).toEqual([404, 'status.unknown-plan']);
    expect([component.status, component.jsonBody['code']]).toEqual([404, 'status.unknown-component']);
  });

  it('answers 503 when the store is down, and when this instance has no status readers', async () => {
    const down = fakeReaders(builds, {
      plans: () => Promise.reject(PipelineError.transient('storage.unavailable', 'connection refused', {})),
    });
    const answer = await call('plans', 'plans', {}, down);
    expect([answer.status, answer.jsonBody['code']]).toEqual([503, 'storage.unavailable']);
    const request = new HttpRequest({ method: 'GET', url: 'http://localhost/api/plans' });
    const none = (await functionNamed(undefined, 'plans').handler(request, context)) as Json;
    expect([none.status, none.jsonBody['code']]).toEqual([503, 'status.not-configured']);
    const broken = statusFunctions(() => Promise.reject(new Error('AZL_STORAGE is not set')));
    const failed = (await (broken[0] as HttpFunction).handler(request, context)) as Json;
    expect([failed.status, failed.jsonBody['code']]).toEqual([503, 'status.not-configured']);
    expect(failed.jsonBody['message']).toContain('AZL_STORAGE is not set');
  });
});

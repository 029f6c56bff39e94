import { http, HttpResponse } from 'msw';
import { describe, expect, test } from 'vitest';
import { DatagrepperClient } from '../../../infra/fedora';
import type { SearchQuery } from '../../../shared/fedora/catch-up';
import { timeWindow } from '../../../shared/fedora/catch-up';
import { FAKE_BASE_URL, FakeDatagrepper } from '../../../testing/fedora/fake-datagrepper';
import { messagesOver, T0 } from '../../../testing/fedora/fake-messages';
import { recordingSleep } from '../../../testing/fedora/catch-up-fakes';
import { failure } from '../../../testing/failures';
import { useMsw } from '../../../testing/msw';

const server = useMsw();

const query: SearchQuery = { window: timeWindow(T0, T0 + 59), page: 1, rowsPerPage: 100 };

function setup(fake = new FakeDatagrepper({ hangMs: 1_000 }).add(messagesOver(T0, T0 + 59, 150))) {
  server.use(fake.handler());
  const { sleep, waits } = recordingSleep();
  const client = new DatagrepperClient({
    baseUrl: FAKE_BASE_URL,
    sleep,
    random: () => 0.5,
    timeoutMs: 50,
    retry: { attempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 },
  });
  return { fake, client, waits };
}

describe('DatagrepperClient', () => {
  test('asks for one page with explicit start/end, order=asc and JSON; rows keep the item as received', async () => {
    let accept: string | null = null;
    server.events.on('request:start', ({ request }) => void (accept = request.headers.get('accept')));
    const { fake, client } = setup();
    const page = await client.search({ ...query, page: 2, topics: ['org.fedoraproject.prod.buildsys.tag'] });
    expect(accept).toBe('application/json');
    expect(page.total).toBe(150);
    expect(page.requests).toBe(1);
    expect(page.rows).toHaveLength(50);
    const first = page.rows[0];
    expect(first?.raw).toMatchObject({ queue: null, priority: 2, body: { tag: 'f44' } });
    expect(first?.sentAt).toBeGreaterThanOrEqual(T0);
    const sent = fake.requests.at(-1)?.url;
    expect(Object.fromEntries(sent?.searchParams ?? [])).toEqual({
      start: String(T0),
      end: String(T0 + 59),
      order: 'asc',
      rows_per_page: '100',
      page: '2',
      topic: 'org.fedoraproject.prod.buildsys.tag',
    });
  });

  test('502, 504 and 429 are retried with growing waits; Retry-After is honoured up to the cap', async () => {
    const { fake, client, waits } = setup();
    const faults = [{ status: 502 }, { status: 504 }, { status: 429, retryAfter: '600' }];
    fake.fail((r) => faults[r.n - 1]);
    const page = await client.search(query);
    expect(page).toMatchObject({ total: 150, requests: 4 });
    // equal jitter at random 0.5: 75, 150; the 429's Retry-After (600 s) is capped at maxDelayMs
    expect(waits).toEqual([75, 150, 1_000]);
  });

  test('a request that hangs times out and is retried', async () => {
    const { fake, client, waits } = setup();
    fake.fail((r) => (r.n === 1 ? 'hang' : undefined));
    const started = Date.now();
    const page = await client.search(query);
    expect(page.requests).toBe(2);
    expect(waits).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(900);
  });

  test('when the attempts run out: datagrepper.unavailable, retryable, naming URL, window and status', async () => {
    const { fake, client } = setup();
    fake.fail(() => ({ status: 503 }));
    const error = await failure(client.search(query));
    expect(error).toMatchObject({ code: 'datagrepper.unavailable', retryable: true });
    expect(error.context).toMatchObject({
      window: '2025-11-17T14:00:00Z..2025-11-17T14:00:59Z',
      page: 1,
      status: 503,
      attempts: 4,
    });
    expect(String(error.context.url)).toContain(`/datagrepper/v2/search?start=${T0}&end=${T0 + 59}`);
    expect(fake.requests).toHaveLength(4);
  });

  test('timeouts until the attempts run out are datagrepper.unavailable too', async () => {
    const { fake, client } = setup();
    fake.fail(() => 'hang');
    const error = await failure(client.search(query));
    expect(error).toMatchObject({ code: 'datagrepper.unavailable', retryable: true });
    expect(error.context).toMatchObject({ timeout: true, attempts: 4 });
  });

  test('another 4xx is datagrepper.rejected, permanent, not retried', async () => {
    const { fake, client, waits } = setup();
    fake.fail(() => ({ status: 400, body: '{"error":"rows_per_page must be <= 100"}' }));
    const error = await failure(client.search(query));
    expect(error).toMatchObject({ code: 'datagrepper.rejected', retryable: false });
    expect(error.message).toContain('rows_per_page must be <= 100');
    expect(error.context.status).toBe(400);
    expect(waits).toEqual([]);
  });

  test('a body that is not a search page is datagrepper.malformed-response (transient), naming URL and window', async () => {
    const { fake, client } = setup();
    fake.fail((r) => (r.n === 1 ? 'malformed' : undefined));
    const error = await failure(client.search(query));
    expect(error).toMatchObject({ code: 'datagrepper.malformed-response', retryable: true });
    expect(error.message).toContain('/v2/search?start=');
    expect(error.context.window).toBe('2025-11-17T14:00:00Z..2025-11-17T14:00:59Z');
    expect(fake.requests).toHaveLength(1);
  });

  test.each([
    ['no total', { raw_messages: [] }],
    ['a row without id', { raw_messages: [{ topic: 'x' }], total: 1 }],
    ['a negative total', { raw_messages: [], total: -1 }],
  ])('JSON of the wrong shape (%s) is malformed too', async (_, body) => {
    const { client } = setup();
    server.use(http.get(`${FAKE_BASE_URL}/v2/search`, () => HttpResponse.json(body)));
    expect((await failure(client.search(query))).code).toBe('datagrepper.malformed-response');
  });

  test('lenient: unknown fields, null headers and odd sent-at are fine', async () => {
    const { client } = setup();
    const rows = [
      { id: 'a', headers: null, extra: { deep: [1] } },
      { id: 'b', headers: { 'sent-at': 'yesterday' } },
      { id: 'c' },
    ];
    server.use(
      http.get(`${FAKE_BASE_URL}/v2/search`, () =>
        HttpResponse.json({ raw_messages: rows, total: 3, new: 1 }),
      ),
    );
    const page = await client.search(query);
    expect(page.rows.map((r) => [r.id, r.sentAt])).toEqual([
      ['a', undefined],
      ['b', undefined],
      ['c', undefined],
    ]);
    expect(page.rows[0]?.raw).toEqual(rows[0]);
  });

  test('connection failures (fetch rejects) are retried', async () => {
    const { waits } = recordingSleep();
    let calls = 0;
    const fetchStub: typeof fetch = async () => {
      calls += 1;
      if (calls < 3)
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
        });
      return Response.json({ raw_messages: [], total: 0 });
    };
    const client = new DatagrepperClient({
      baseUrl: 'https://apps.fedoraproject.org/datagrepper/',
      fetch: fetchStub,
      sleep: async (ms) => void waits.push(ms),
    });
    expect(await client.search(query)).toMatchObject({ total: 0, requests: 3 });
    expect(waits).toHaveLength(2);
  });

  test('refuses a base URL that is not https (or http on loopback)', () => {
    expect(() => new DatagrepperClient({ baseUrl: 'http://apps.fedoraproject.org/datagrepper' })).toThrow(
      /plain http is only allowed to a loopback host/,
    );
  });
});

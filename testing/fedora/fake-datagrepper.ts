import { delay, http, HttpResponse } from 'msw';
import type { HttpHandler } from 'msw';

/**
 * A datagrepper `/v2/search` stand-in with the storage behaviour that makes catch-up hard (research §3.4):
 * messages are stored under whole-second `sent-at` timestamps, sorted by that second only, paged with OFFSET,
 * `start`/`end` inclusive, `rows_per_page` ≤ 100. Rows of one second come in an order that is not insertion
 * order (a hash of the id, like heap order), so a message that lands in a second that is being read shifts the
 * rows after it; `reshuffleEvery` also changes that order every n requests (a new plan, a vacuum). Faults
 * (5xx, 429, hangs, bad bodies) are scripted per request.
 */
export const FAKE_BASE_URL = 'http://127.0.0.1:9/datagrepper';

export interface FakeMessage {
  readonly id: string;
  readonly second: number;
  /** The datagrepper v2 item, as the fake serves it. */
  readonly item: Record<string, unknown>;
}

export type Fault =
  { readonly status: number; readonly body?: string; readonly retryAfter?: string } | 'hang' | 'malformed';

export interface FakeRequest {
  readonly n: number;
  readonly start: number;
  readonly end: number;
  readonly page: number;
  readonly rowsPerPage: number;
  readonly url: URL;
}

export type FaultRule = (request: FakeRequest) => Fault | undefined;

export class FakeDatagrepper {
  readonly requests: FakeRequest[] = [];
  private stored: FakeMessage[] = [];
  private arrivals: { afterRequests: number; messages: FakeMessage[] }[] = [];
  private rules: FaultRule[] = [];

  constructor(private readonly options: { reshuffleEvery?: number; hangMs?: number } = {}) {}

  add(messages: readonly FakeMessage[]): this {
    this.stored.push(...messages);
    return this;
  }

  /** `messages` appear once `afterRequests` requests have been answered (datanommer storing late). */
  arriveAfter(afterRequests: number, messages: readonly FakeMessage[]): this {
    this.arrivals.push({ afterRequests, messages: [...messages] });
    return this;
  }

  fail(rule: FaultRule): this {
    this.rules.push(rule);
    return this;
  }

  clearFaults(): void {
    this.rules = [];
  }

  /** Every message stored so far (scheduled arrivals included once they arrived). */
  get messages(): readonly FakeMessage[] {
    return this.stored;
  }

  handler(base = FAKE_BASE_URL): HttpHandler {
    return http.get(`${base}/v2/search`, async ({ request }) => {
      const answer = this.answer(new URL(request.url));
      if (answer === 'hang') {
        await delay(this.options.hangMs ?? 5_000);
        return new HttpResponse(null, { status: 599 });
      }
      return new HttpResponse(answer.body, { status: answer.status, headers: answer.headers });
    });
  }

  /** The whole server, synchronous: a request URL in, a response (or a hang) out. */
  answer(url: URL): { status: number; body: string; headers: Record<string, string> } | 'hang' {
    const n = this.requests.length + 1;
    for (const arrival of this.arrivals.filter((a) => a.afterRequests < n))
      this.stored.push(...arrival.messages);
    this.arrivals = this.arrivals.filter((a) => a.afterRequests >= n);
    const p = url.searchParams;
    const request: FakeRequest = {
      n,
      url,
      start: Number(p.get('start')),
      end: Number(p.get('end')),
      page: Number(p.get('page') ?? '1'),
      rowsPerPage: Number(p.get('rows_per_page') ?? '25'),
    };
    this.requests.push(request);
    const fault = this.rules.map((rule) => rule(request)).find((f) => f !== undefined);
    if (fault === 'hang') return 'hang';
    if (fault === 'malformed') return json(200, '<html>502 Bad Gateway</html>');
    if (fault !== undefined) {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      return { ...json(fault.status, fault.body ?? '{"error":"fault"}'), headers };
    }
    // The fake insists on what the catch-up must always send (the real server would default them).
    if (!p.has('start') || !p.has('end') || p.get('order') !== 'asc') return json(400, '{"error":"args"}');
    if (request.rowsPerPage > 100 || request.page < 1) return json(400, '{"error":"rows_per_page"}');
    const topics = p.getAll('topic');
    const salt = this.options.reshuffleEvery ? Math.floor(n / this.options.reshuffleEvery) : 0;
    const matching = this.stored
      .filter((m) => m.second >= request.start && m.second <= request.end)
      .filter((m) => topics.length === 0 || topics.includes(String(m.item.topic)))
      .map((m) => ({ m, key: hash(`${m.id}:${salt}`) }))
      .sort((a, b) => a.m.second - b.m.second || a.key - b.key)
      .map(({ m }) => m);
    const offset = request.rowsPerPage * (request.page - 1);
    const rows = matching.slice(offset, offset + request.rowsPerPage).map((m) => m.item);
    const body = {
      raw_messages: rows,
      count: rows.length,
      total: matching.length,
      pages: Math.ceil(matching.length / request.rowsPerPage),
      arguments: { start: request.start, end: request.end, page: request.page, order: 'asc', topics },
    };
    return json(200, JSON.stringify(body));
  }
}

function json(status: number, body: string) {
  return { status, body, headers: { 'content-type': 'application/json' } };
}

/** FNV-1a: a stable, well-spread order for rows of one second. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

import { z } from 'zod';
import { describeError, PipelineError } from '../../shared/errors';
import type { IngestResult } from '../../shared/fedora/ingest-port';
import { parseRetryAfter, realSleep } from '../fedora/retry-policy';

/** Where a running pipeline takes Fedora messages over HTTP. */
export interface HttpIngestTarget {
  /** The API base, e.g. `http://127.0.0.1:7071/api`. */
  readonly apiBaseUrl: string;
  /** The function key (`x-functions-key`); absent for an anonymous endpoint. */
  readonly functionKey?: string;
}

export interface HttpIngestClientOptions {
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Tries per body, the first included, while the pipeline answers 503. */
  readonly attempts?: number;
  /** A `Retry-After` longer than this is waited for this long only. */
  readonly maxRetryAfterMs?: number;
  readonly timeoutMs?: number;
}

const answerSchema = z.object({
  results: z.array(
    z.object({
      id: z.string().nullish(),
      topic: z.string().nullish(),
      outcome: z.enum(['accepted', 'duplicate', 'ignored', 'rejected']),
      reason: z.string().optional(),
    }),
  ),
});

/**
 * POSTs a body of messages to `<apiBaseUrl>/fedora/messages` and returns each message's outcome. A 503 (the
 * pipeline could not queue them; nothing was kept) is retried after its `Retry-After`, a bounded number of
 * times, then thrown as the transient `replay.unavailable`; a refused connection is the transient
 * `replay.unreachable`; any other non-202 answer is the permanent `replay.refused` with the pipeline's code.
 */
export async function postIngestBody(
  target: HttpIngestTarget,
  body: string,
  options: HttpIngestClientOptions = {},
): Promise<IngestResult[]> {
  const doFetch = options.fetch ?? fetch;
  const sleep = options.sleep ?? realSleep;
  const attempts = options.attempts ?? 5;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const url = `${target.apiBaseUrl.replace(/\/+$/, '')}/fedora/messages`;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (target.functionKey) headers['x-functions-key'] = target.functionKey;

  for (let attempt = 1; ; attempt += 1) {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      text = await response.text();
    } catch (error) {
      throw PipelineError.transient('replay.unreachable', `cannot reach ${url}: ${describeError(error)}`, {
        url,
      });
    }
    if (response.status === 202) return parseAnswer(text, url);
    if (response.status === 503 && attempt < attempts) {
      const waitMs = parseRetryAfter(response.headers.get('retry-after'), Date.now()) ?? 1_000;
      await sleep(Math.min(waitMs, maxRetryAfterMs));
      continue;
    }
    const code = problemCode(text);
    const detail = `HTTP ${response.status}${code ? ` ${code}` : ''}: ${text.slice(0, 300)}`;
    if (response.status === 503) {
      throw PipelineError.transient(
        'replay.unavailable',
        `${url} still unavailable after ${attempts} tries (${detail})`,
        {
          url,
          status: 503,
        },
      );
    }
    throw PipelineError.permanent('replay.refused', `${url} refused the messages: ${detail}`, {
      url,
      status: response.status,
    });
  }
}

function parseAnswer(text: string, url: string): IngestResult[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw PipelineError.permanent(
      'replay.bad-answer',
      `${url} answered 202 with no JSON: ${describeError(error)}`,
      {
        url,
      },
    );
  }
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) {
    throw PipelineError.permanent(
      'replay.bad-answer',
      `${url} answered 202 without results: ${parsed.error.message}`,
      {
        url,
      },
    );
  }
  return parsed.data.results.map((r) => ({
    id: r.id ?? undefined,
    topic: r.topic ?? undefined,
    outcome: r.outcome,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
  }));
}

function problemCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

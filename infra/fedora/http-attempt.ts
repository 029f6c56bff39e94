import { describeError, PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import { parseRetryAfter } from './retry-policy';

/** One HTTP try: a body to parse, or a failure worth another try (with why, for logs and the final error). */
export type Attempt =
  | { readonly kind: 'body'; readonly body: string }
  | {
      readonly kind: 'retry';
      readonly reason: string;
      readonly context: ErrorContext;
      readonly retryAfterMs?: number;
      readonly cause?: unknown;
    };

export interface AttemptRequest {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly timeoutMs: number;
  /** Names the request in a thrown error. */
  readonly context: ErrorContext;
}

/**
 * GETs `url` once, body included within `timeoutMs`. 5xx, 408 and 429, a timeout and a failed connection
 * are worth retrying; any other non-2xx answer is thrown as `datagrepper.rejected` (permanent: the same
 * query gets the same answer), with the start of the body, where datagrepper says what it disliked.
 */
export async function attemptGet(request: AttemptRequest): Promise<Attempt> {
  const { url, timeoutMs, context } = request;
  try {
    const response = await request.fetch(url, {
      headers: request.headers,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await response.text();
    if (response.ok) return { kind: 'body', body };
    const status = response.status;
    if (status >= 500 || status === 408 || status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      return { kind: 'retry', reason: `HTTP ${status}`, context: { status }, retryAfterMs };
    }
    throw PipelineError.permanent(
      'datagrepper.rejected',
      `datagrepper refused ${url}: HTTP ${status} ${body.slice(0, 200)}`,
      { ...context, status },
    );
  } catch (error) {
    if (error instanceof PipelineError) throw error;
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      const reason = `timed out after ${timeoutMs} ms`;
      return { kind: 'retry', reason, context: { timeout: true }, cause: error };
    }
    // fetch rejects with a TypeError for DNS, refused and reset connections (the Node code is in `cause`).
    const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
    return { kind: 'retry', reason: describeError(cause), context: {}, cause: error };
  }
}

import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import { describeWindow } from '../../shared/fedora/catch-up';
import { silentLogger } from '../../shared/logger';
import type { Logger } from '../../shared/logger';
import { parseDatagrepperBaseUrl, searchUrl } from './datagrepper-url';
import type { DatagrepperSearch, SearchQuery, SearchResult } from '../../shared/fedora/catch-up';
import { attemptGet } from './http-attempt';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, realSleep } from './retry-policy';
import type { RetryPolicy } from './retry-policy';
import { parseSearchPage } from './search-page';

export interface DatagrepperClientOptions {
  /** e.g. `https://apps.fedoraproject.org/datagrepper`; https, or http to a loopback host. */
  readonly baseUrl: string;
  readonly fetch?: typeof fetch;
  /** Per attempt, response body included. datagrepper's proxy gives up on slow queries after ~60 s. */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly logger?: Logger;
  readonly userAgent?: string;
}

/**
 * fetch-based client for `GET /v2/search`. Failures are PipelineErrors whose context names the URL, window
 * and page:
 * - 5xx, 408, 429, timeouts and connection failures are retried with exponential backoff; when the attempts
 *   run out: `datagrepper.unavailable` (retryable).
 * - any other 4xx: `datagrepper.rejected` (permanent: the same query gets the same answer).
 * - a 200 whose body is not a search page: `datagrepper.malformed-response` (retryable, not retried here).
 */
export class DatagrepperClient implements DatagrepperSearch {
  readonly baseUrl: URL;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly policy: RetryPolicy;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly logger: Logger;
  private readonly headers: Record<string, string>;

  constructor(options: DatagrepperClientOptions) {
    this.baseUrl = parseDatagrepperBaseUrl(options.baseUrl);
    // Looked up per call, not captured: whatever `fetch` is installed when a request is made is used.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 45_000;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    if (!(this.policy.attempts >= 1) || !(this.timeoutMs > 0)) {
      throw PipelineError.permanent(
        'datagrepper.invalid-options',
        'retry.attempts and timeoutMs must be positive',
        {
          attempts: this.policy.attempts,
          timeoutMs: this.timeoutMs,
        },
      );
    }
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.logger = options.logger ?? silentLogger;
    // datagrepper picks HTML or JSON from Accept; without it a browser-like default could get HTML.
    this.headers = {
      accept: 'application/json',
      'user-agent': options.userAgent ?? 'azl-rebuilder catch-up',
    };
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const url = searchUrl(this.baseUrl, query);
    const context: ErrorContext = { url, window: describeWindow(query.window), page: query.page };
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await attemptGet({
        fetch: this.fetch,
        url,
        headers: this.headers,
        timeoutMs: this.timeoutMs,
        context,
      });
      if (outcome.kind === 'body') return { ...parseSearchPage(outcome.body, context), requests: attempt };
      const failure = { ...context, ...outcome.context, attempts: attempt };
      if (attempt >= this.policy.attempts) {
        throw PipelineError.transient(
          'datagrepper.unavailable',
          `datagrepper ${url} failed ${attempt} times, last: ${outcome.reason}`,
          failure,
          outcome.cause,
        );
      }
      const delayMs = backoffDelayMs(attempt, this.policy, this.random, outcome.retryAfterMs);
      this.logger.warn('datagrepper request failed, retrying', {
        ...failure,
        reason: outcome.reason,
        delayMs,
      });
      await this.sleep(delayMs);
    }
  }
}

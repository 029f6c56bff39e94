import type { TokenCredential } from '@azure/core-auth';
import { describeError, PipelineError } from '../../../shared/errors';
import type { ErrorContext } from '../../../shared/errors';
import { parseRetryAfter } from '../../fedora/retry-policy';
import { armMalformed, armNetworkError, armResponseError } from './arm-errors';

/**
 * JSON over `fetch` to Azure Resource Manager, with a bearer token from a TokenCredential (in Azure the
 * Function app's managed identity) for the scope `<endpoint>/.default`. Every failure is a classified
 * PipelineError (see arm-errors.ts); a non-2xx answer never reaches the caller. No retries here: whether a
 * call may be repeated (a 429 may, a start after a 5xx may have started an execution) is the caller's call.
 */
export interface ArmClientOptions {
  /** `https://management.azure.com`, or a sovereign cloud's; without a trailing slash. */
  readonly endpoint: string;
  readonly credential: TokenCredential;
  readonly fetch?: typeof fetch;
  /** Per request, body included; default 30 s. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
}

export interface ArmRequest {
  readonly method: 'GET' | 'POST';
  /** A path below the endpoint (`/subscriptions/...?api-version=...`) or an absolute URL on the endpoint's origin. */
  readonly url: string;
  readonly body?: unknown;
  /** Names the call in errors and logs (`start execution`, `get execution`). */
  readonly operation: string;
  readonly context?: ErrorContext;
  readonly signal?: AbortSignal;
}

export interface ArmResponse {
  readonly status: number;
  readonly headers: Headers;
  /** The parsed JSON body; `undefined` when the body was empty (a bare 202). */
  readonly body: unknown;
  readonly retryAfterMs?: number;
}

export class ArmClient {
  readonly endpoint: string;
  private readonly origin: string;
  private readonly scope: string;
  private readonly credential: TokenCredential;
  private readonly fetch: typeof fetch;
  private readonly timeoutMs: number;
  private readonly now: () => number;

  constructor(options: ArmClientOptions) {
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.origin = new URL(this.endpoint).origin;
    this.scope = `${this.endpoint}/.default`;
    this.credential = options.credential;
    // Looked up per call, so whatever `fetch` is installed when a request is made (msw in tests) is used.
    this.fetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.now = options.now ?? Date.now;
  }

  async send(request: ArmRequest): Promise<ArmResponse> {
    const url = this.resolve(request);
    const context: ErrorContext = {
      ...request.context,
      operation: request.operation,
      method: request.method,
      url,
    };
    const token = await this.token(context, request.signal);
    const signals = [AbortSignal.timeout(this.timeoutMs), ...(request.signal ? [request.signal] : [])];
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, {
        method: request.method,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'application/json',
          ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
        signal: AbortSignal.any(signals),
      });
      text = await response.text();
    } catch (error) {
      throw armNetworkError(error, context, {
        aborted: request.signal?.aborted === true,
        timeoutMs: this.timeoutMs,
      });
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), this.now());
    if (!response.ok) throw armResponseError(response.status, text, retryAfterMs, context);
    const base = {
      status: response.status,
      headers: response.headers,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
    if (text.trim() === '') return { ...base, body: undefined };
    try {
      return { ...base, body: JSON.parse(text) as unknown };
    } catch {
      throw armMalformed(`HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 120)}`, {
        ...context,
        status: response.status,
      });
    }
  }

  /** The token goes only to the ARM endpoint: a `Location` elsewhere is refused, not followed. */
  private resolve(request: ArmRequest): string {
    const url = request.url.startsWith('/') ? `${this.endpoint}${request.url}` : request.url;
    let origin: string | undefined;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = undefined;
    }
    if (origin !== this.origin) {
      throw armMalformed(`a URL outside ${this.origin}: ${url.slice(0, 200)}`, {
        operation: request.operation,
      });
    }
    return url;
  }

  private async token(context: ErrorContext, signal: AbortSignal | undefined): Promise<string> {
    let failure: unknown;
    try {
      const token = await this.credential.getToken(this.scope, signal ? { abortSignal: signal } : {});
      if (token?.token) return token.token;
    } catch (error) {
      failure = error;
    }
    // Transient: the identity endpoint (IMDS) is often briefly unavailable while an instance starts.
    throw PipelineError.transient(
      'arm.token-unavailable',
      `no ARM token for ${this.scope}${failure === undefined ? '' : `: ${describeError(failure)}`}`,
      { ...context, scope: this.scope },
      failure,
    );
  }
}

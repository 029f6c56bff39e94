import { describeError } from '../../shared/errors';
import { parseRetryAfter } from '../fedora/retry-policy';

/**
 * What an ARM SDK call's failure says, read once for every adapter. The SDKs throw a `RestError` for an
 * error answer (`statusCode`, and ARM's `{ "error": { "code", "message" } }` body in `details` or `code`)
 * and for a request that got no answer (no `statusCode`, `code` such as `ECONNREFUSED` or
 * `REQUEST_SEND_ERROR`); an `AbortError` when aborted; and the credential's own error when no token came.
 */
export interface ArmFailure {
  /** The HTTP status; absent when no answer came. */
  readonly status?: number;
  /** ARM's error code (`AuthorizationFailed`, `Conflict`, ...) or the transport's (`ECONNREFUSED`). */
  readonly armCode?: string;
  /** ARM's error message, else the error's own. */
  readonly message: string;
  /** `Retry-After` of the answer (seconds or an HTTP date), in milliseconds, when it said. */
  readonly retryAfterMs?: number;
  readonly aborted: boolean;
}

interface RestErrorLike {
  readonly name?: unknown;
  readonly statusCode?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly details?: unknown;
  readonly response?: { readonly headers?: { get?: (name: string) => string | undefined } };
}

export function readArmFailure(error: unknown): ArmFailure {
  const e = (typeof error === 'object' && error !== null ? error : {}) as RestErrorLike;
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  const body = armErrorOf(e.details);
  const armCode = body.code ?? (typeof e.code === 'string' ? e.code : undefined);
  const header = status === undefined ? undefined : e.response?.headers?.get?.('retry-after');
  const retryAfterMs = parseRetryAfter(header ?? null, Date.now());
  return {
    ...(status === undefined ? {} : { status }),
    ...(armCode === undefined ? {} : { armCode }),
    message: body.message ?? describeError(error),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    aborted: e.name === 'AbortError',
  };
}

/** `details` is the deserialized error response: `{ error: { code, message } }`. */
function armErrorOf(details: unknown): { code?: string; message?: string } {
  const error =
    typeof details === 'object' && details !== null ? (details as { error?: unknown }).error : undefined;
  if (typeof error !== 'object' || error === null) return {};
  const { code, message } = error as { code?: unknown; message?: unknown };
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

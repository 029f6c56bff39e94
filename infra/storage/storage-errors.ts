import { isRestError } from '@azure/storage-blob';
import type { ClassifiedCode } from '../../shared/error-codes';
import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';

/**
 * The one place where storage SDK failures become PipelineErrors. Adapters call it in their catch blocks, so
 * callers only ever see these codes:
 *
 * - `storage.not-found` (404), `storage.conflict` (409), `storage.precondition-failed` (412): permanent; the same
 *   request hits the same state again. A lost optimistic-concurrency race is one of the last two.
 * - `storage.invalid-range` (416) and `storage.rejected` (any other 4xx, e.g. 400/403): permanent.
 * - `storage.unavailable`: 408, 429, 5xx, connection refused/reset, DNS and timeouts, and a 409 for a copy
 *   still pending on the blob (`PendingCopyOperation`): retryable.
 * - `storage.auth-failed`: a token could not be obtained (managed identity endpoint not answering): retryable.
 *
 * Context carries the place (`account`, `container`/`blob` or `table`/`partitionKey`/`rowKey`), plus the HTTP
 * `status` and the service's `errorCode` (e.g. `BlobAlreadyExists`, `UpdateConditionNotSatisfied`) when known.
 */
export type StoragePlace = Record<string, string | number | undefined>;

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
]);

const BY_STATUS: Record<number, ClassifiedCode> = {
  404: { code: 'storage.not-found', retryable: false },
  408: { code: 'storage.unavailable', retryable: true },
  409: { code: 'storage.conflict', retryable: false },
  412: { code: 'storage.precondition-failed', retryable: false },
  416: { code: 'storage.invalid-range', retryable: false },
  429: { code: 'storage.unavailable', retryable: true },
};

export function classifyStorageError(
  error: unknown,
  operation: string,
  place: StoragePlace = {},
): PipelineError {
  if (error instanceof PipelineError) return error;
  const status = isRestError(error) ? error.statusCode : undefined;
  const errorCode = errorCodeOf(error);
  const context = contextOf(place, status, errorCode);
  const message = `storage ${operation} failed: ${messageOf(error)}`;
  if (status !== undefined) {
    // A copy still running on the service (one this process gave up waiting for): it ends by itself.
    if (errorCode === 'PendingCopyOperation') {
      return PipelineError.transient('storage.unavailable', message, context, error);
    }
    const known = BY_STATUS[status];
    if (known) return new PipelineError(known.code, message, known.retryable, context, { cause: error });
    if (status >= 500) return PipelineError.transient('storage.unavailable', message, context, error);
    return PipelineError.permanent('storage.rejected', message, context, error);
  }
  if (isTransportFailure(error))
    return PipelineError.transient('storage.unavailable', message, context, error);
  if (error instanceof Error && /^(AuthenticationError|CredentialUnavailableError)$/.test(error.name)) {
    return PipelineError.transient('storage.auth-failed', message, context, error);
  }
  // Anything else is a bug or an unexpected SDK state: retrying the same call will not fix it.
  return PipelineError.permanent('storage.failed', message, context, error);
}

function isTransportFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code !== undefined && NETWORK_CODES.has(code)) return true;
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return true;
    current = current.cause;
  }
  return false;
}

interface ServiceDetails {
  errorCode?: unknown;
  odataError?: { code?: unknown; message?: { value?: unknown } };
}

/**
 * The service's error code: blob errors carry it as `details.errorCode` (and `code`); table errors as
 * `details.errorCode` or inside `details.odataError`, with `code` unset. Transport errors have a Node code.
 */
function errorCodeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const details = (error as { details?: ServiceDetails }).details;
  const candidates = [details?.errorCode, details?.odataError?.code, (error as { code?: unknown }).code];
  return candidates.find((value): value is string => typeof value === 'string' && value !== '');
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const odataMessage = (error as { details?: ServiceDetails }).details?.odataError?.message?.value;
  const message = typeof odataMessage === 'string' ? odataMessage : error.message;
  // Service messages append RequestId/Time lines; the first line is the useful part.
  return message.split('\n')[0] ?? message;
}

/** The place as error context (undefined fields dropped). */
export function placeContext(place: StoragePlace): ErrorContext {
  const context: ErrorContext = {};
  for (const [key, value] of Object.entries(place)) if (value !== undefined) context[key] = value;
  return context;
}

function contextOf(
  place: StoragePlace,
  status: number | undefined,
  errorCode: string | undefined,
): ErrorContext {
  const context = placeContext(place);
  if (status !== undefined) context.status = status;
  if (errorCode !== undefined) context.errorCode = errorCode;
  return context;
}

/** Every successful write/read returns an ETag; its absence is a broken response, not a retryable state. */
export function requireEtag(etag: string | undefined, op: string, place: StoragePlace): string {
  if (etag === undefined)
    throw PipelineError.permanent('storage.failed', `storage ${op} returned no ETag`, placeContext(place));
  return etag;
}

/** Runs `action` and classifies whatever it throws. */
export async function storageCall<T>(
  operation: string,
  place: StoragePlace,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw classifyStorageError(error, operation, place);
  }
}

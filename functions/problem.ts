import type { HttpResponseInit } from '@azure/functions';
import type { ErrorCode } from '../shared/error-codes';
import { PipelineError } from '../shared/errors';

/** An error answer as every HTTP function gives it: JSON `{code, message}`. */
export const problem = (status: number, code: ErrorCode, message: string): HttpResponseInit => ({
  status,
  jsonBody: { code, message },
});

/**
 * A failure that retrying can fix (a dependency down) as 503 with `Retry-After`; undefined for any other
 * failure, which the caller rethrows (the host answers 500 and logs it).
 */
export function unavailable(
  error: unknown,
  retryAfterSeconds: number,
  hint = '',
): HttpResponseInit | undefined {
  if (!PipelineError.is(error) || !error.retryable) return undefined;
  return {
    ...problem(503, error.code, `${error.message}${hint}`),
    headers: { 'retry-after': String(retryAfterSeconds) },
  };
}

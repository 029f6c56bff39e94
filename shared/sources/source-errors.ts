import type { ErrorCode, PermanentCode } from '../error-codes';
import { PipelineError } from '../errors';
import type { ErrorContext } from '../errors';

/**
 * The error codes of source preparation. Every failure is classified once, where it happens, into one of:
 *
 * - `sources.invalid-name` / `sources.invalid-url`: a hostile or malformed name or URL from input (permanent).
 * - `sources.malformed`: a dist-git `sources` line that is neither format (permanent: the commit is fixed).
 * - `sources.hash-mismatch`: downloaded bytes differ from the declared hash (permanent).
 * - `sources.not-found`: lookaside/origin answered 404/410, or the dist-git repository does not exist (permanent).
 * - `sources.rejected`: any other 4xx (permanent).
 * - `sources.unknown-ref`: the branch or commit does not exist, or no commit precedes the snapshot (permanent).
 * - `sources.spec-missing`: the checked-out commit has no `<name>.spec` (permanent).
 * - `sources.unavailable`: unreachable host, 5xx/408/429, timeout, git transport failure (retryable).
 */
export type SourcesErrorCode = Extract<ErrorCode, `sources.${string}`>;

export function invalidName(field: string, value: string, why: string): PipelineError {
  return PipelineError.permanent(
    'sources.invalid-name',
    `invalid ${field} ${JSON.stringify(value)}: ${why}`,
    {
      field,
      value,
    },
  );
}

export function invalidUrl(field: string, value: string, why: string): PipelineError {
  return PipelineError.permanent('sources.invalid-url', `refused ${field} ${JSON.stringify(value)}: ${why}`, {
    field,
    url: value,
  });
}

export function sourcesPermanent(
  code: Extract<SourcesErrorCode, PermanentCode>,
  message: string,
  context: ErrorContext,
  cause?: unknown,
): PipelineError {
  return PipelineError.permanent(code, message, context, cause);
}

export function sourcesUnavailable(message: string, context: ErrorContext, cause?: unknown): PipelineError {
  return PipelineError.transient('sources.unavailable', message, context, cause);
}

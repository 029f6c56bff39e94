import { describeError } from '../../shared/errors';
import type { ErrorContext, PipelineError } from '../../shared/errors';
import { sourcesPermanent, sourcesUnavailable } from '../../shared/sources/source-errors';

/**
 * The one place where a failed download (lookaside or `source-files` origin) becomes a PipelineError:
 *
 * - HTTP 404/410, or a missing local file → `sources.not-found` (permanent: the file is not uploaded);
 * - HTTP 408/429/5xx → `sources.unavailable` (retryable);
 * - any other non-2xx → `sources.rejected` (permanent);
 * - no answer (refused, reset, DNS, timeout, a body cut short) → `sources.unavailable` (retryable).
 */
export function classifyHttpStatus(status: number, url: string, place: ErrorContext): PipelineError {
  const context = { ...place, url, status };
  const message = `download of ${url} failed: HTTP ${status}`;
  if (status === 404 || status === 410) return sourcesPermanent('sources.not-found', message, context);
  if (status >= 500 || status === 408 || status === 429) return sourcesUnavailable(message, context);
  return sourcesPermanent('sources.rejected', message, context);
}

export function classifyTransportFailure(error: unknown, url: string, place: ErrorContext): PipelineError {
  const code = nodeCodeOf(error);
  if (code === 'ENOENT') {
    return sourcesPermanent('sources.not-found', `download of ${url} failed: no such file`, {
      ...place,
      url,
    });
  }
  // fetch rejects with a TypeError whose `cause` holds the Node error (ECONNREFUSED, ENOTFOUND, ...).
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const context: ErrorContext = { ...place, url };
  if (code !== undefined) context.errorCode = code;
  return sourcesUnavailable(`download of ${url} failed: ${describeError(cause)}`, context, error);
}

function nodeCodeOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string') return code;
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return 'ETIMEDOUT';
    current = current.cause;
  }
  return undefined;
}

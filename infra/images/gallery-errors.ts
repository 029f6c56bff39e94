import type { PermanentCode } from '../../shared/error-codes';
import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import { ArmOriginRefused, ArmRequestTimeout, ArmTokenUnavailable } from '../arm/sdk-options';
import { readArmFailure } from '../arm/rest-failure';

/**
 * How a failed Azure Compute Gallery call becomes a PipelineError, decided once for the adapter:
 *
 * - 408, 429, 5xx, no answer (DNS, refused, reset), an abort or no token: `gallery.unavailable`, transient
 *   (`context.retryAfterMs` when ARM said how long to wait).
 * - 401, 403: `gallery.unauthorized`; 404: `gallery.not-found`; 409: `gallery.conflict`; any other 4xx:
 *   `gallery.rejected`. All permanent: the same call gets the same answer until someone changes the gallery,
 *   the role assignment or the request.
 * - A long-running operation's URL outside the ARM endpoint: `arm.malformed-response` (the token is not sent).
 *
 * `context.armCode` keeps ARM's own code (`AuthorizationFailed`, `Conflict`, `GalleryImageVersionExists`...).
 */
const BY_STATUS: Readonly<Record<number, PermanentCode>> = {
  401: 'gallery.unauthorized',
  403: 'gallery.unauthorized',
  404: 'gallery.not-found',
  409: 'gallery.conflict',
};

export function galleryError(error: unknown, operation: string, context: ErrorContext): PipelineError {
  if (PipelineError.is(error)) return error;
  const full: ErrorContext = { ...context, operation };
  if (error instanceof ArmOriginRefused) {
    return PipelineError.permanent(
      'arm.malformed-response',
      `Compute Gallery ${operation} answered ${error.message}`,
      full,
      error,
    );
  }
  const failure = readArmFailure(error);
  const what = `Compute Gallery ${operation}`;
  const withCode: ErrorContext = {
    ...full,
    status: failure.status ?? null,
    armCode: failure.armCode ?? null,
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
  };
  const { status } = failure;
  if (status === undefined) {
    const how =
      error instanceof ArmTokenUnavailable
        ? `got no ARM token: ${failure.message}`
        : error instanceof ArmRequestTimeout
          ? `got ${failure.message}`
          : failure.aborted
            ? 'was aborted'
            : `got no answer: ${failure.message}`;
    return PipelineError.transient('gallery.unavailable', `${what} ${how}`, withCode, error);
  }
  const answered = `${what} answered HTTP ${status}${failure.armCode ? ` ${failure.armCode}` : ''}: ${failure.message}`;
  if (status === 408 || status === 429 || status >= 500) {
    return PipelineError.transient('gallery.unavailable', answered, withCode, error);
  }
  return PipelineError.permanent(BY_STATUS[status] ?? 'gallery.rejected', answered, withCode, error);
}

/** Whether a gallery call failed because the resource is not there (ARM's 404). */
export const isNotFound = (error: unknown): boolean => readArmFailure(error).status === 404;

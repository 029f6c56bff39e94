import type { PermanentCode } from '../../../shared/error-codes';
import { PipelineError } from '../../../shared/errors';
import type { ErrorContext } from '../../../shared/errors';
import { readArmFailure } from '../../arm/rest-failure';
import { ArmOriginRefused, ArmRequestTimeout, ArmTokenUnavailable } from '../../arm/sdk-options';

/**
 * How the Container Apps SDK's failures become PipelineErrors, decided once for every call of the adapter.
 * ARM answers errors as `{ "error": { "code", "message", "details"? } }` (its DefaultErrorResponse); the code
 * (`AuthorizationFailed`, `ResourceNotFound`, `JobExecutionLimitReached`, ...) is kept in `context.armCode`.
 *
 * - 429 (`arm.throttled`) and 408/5xx (`arm.unavailable`): transient; `context.retryAfterMs` when ARM said.
 * - 400, 401, 403, 404, 409 and any other 4xx: permanent, coded by status: the same call gets the same answer
 *   until someone changes the job, the role assignment or the request.
 * - No answer: `arm.aborted` (the caller's signal), `arm.timeout` (the request's time limit, see
 *   infra/arm/sdk-options.ts), `arm.network`;
 *   no token: `arm.token-unavailable`. All transient.
 * - A URL outside the ARM endpoint (a `Location` to follow): `arm.malformed-response`, the token unsent.
 */
const PERMANENT_CODES: Readonly<Record<number, PermanentCode>> = {
  400: 'arm.bad-request',
  401: 'arm.unauthorized',
  403: 'arm.forbidden',
  404: 'arm.not-found',
  409: 'arm.conflict',
};

export interface CallLimits {
  /** The caller's signal: an abort it asked for is `arm.aborted`. */
  readonly signal?: AbortSignal | undefined;
  /** The token scope, named when no token came. */
  readonly scope: string;
}

export function armCallError(error: unknown, context: ErrorContext, limits: CallLimits): PipelineError {
  if (PipelineError.is(error)) return error;
  const what = `ARM ${String(context.operation)}`;
  if (error instanceof ArmOriginRefused) return armMalformed(error.message, context);
  if (error instanceof ArmTokenUnavailable) {
    // Transient: the identity endpoint (IMDS) is often briefly unavailable while an instance starts.
    return PipelineError.transient(
      'arm.token-unavailable',
      `no ARM token for ${limits.scope}: ${error.message}`,
      { ...context, scope: limits.scope },
      error,
    );
  }
  if (error instanceof ArmRequestTimeout) {
    const message = `${what} took longer than ${error.timeoutMs} ms`;
    return PipelineError.transient('arm.timeout', message, { ...context, timeoutMs: error.timeoutMs }, error);
  }
  const failure = readArmFailure(error);
  const { status } = failure;
  if (failure.armCode === 'PARSE_ERROR') {
    return armMalformed(
      `HTTP ${status ?? '?'} with a body that is not JSON: ${failure.message.slice(0, 160)}`,
      context,
    );
  }
  if (status === undefined) {
    if (limits.signal?.aborted || failure.aborted) {
      return PipelineError.transient('arm.aborted', `${what} was aborted`, context, error);
    }
    return PipelineError.transient('arm.network', `${what} failed: ${failure.message}`, context, error);
  }
  const armCode = failure.armCode ?? null;
  const answered = `${what} answered HTTP ${status}${armCode ? ` ${armCode}` : ''}: ${failure.message}`;
  const full: ErrorContext = {
    ...context,
    status,
    armCode,
    ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
  };
  if (status === 429) return PipelineError.transient('arm.throttled', answered, full, error);
  if (status >= 500 || status === 408)
    return PipelineError.transient('arm.unavailable', answered, full, error);
  return PipelineError.permanent(PERMANENT_CODES[status] ?? 'arm.rejected', answered, full, error);
}

/** A response ARM should not have sent: not JSON, or JSON without what the operation promises. */
export function armMalformed(problem: string, context: ErrorContext): PipelineError {
  return PipelineError.permanent(
    'arm.malformed-response',
    `ARM ${String(context.operation)} answered ${problem}`,
    context,
  );
}

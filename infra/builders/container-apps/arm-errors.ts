import type { PermanentCode } from '../../../shared/error-codes';
import { describeError, PipelineError } from '../../../shared/errors';
import type { ErrorContext } from '../../../shared/errors';

/**
 * How ARM failures become PipelineErrors, decided once for every call of the Container Apps adapter.
 * ARM answers errors as `{ "error": { "code", "message", "details"? } }` (its DefaultErrorResponse); the code
 * (`AuthorizationFailed`, `ResourceNotFound`, `JobExecutionLimitReached`, ...) is kept in `context.armCode`.
 *
 * - 429 (`arm.throttled`) and 408/5xx (`arm.unavailable`): transient; `context.retryAfterMs` when ARM said.
 * - 400, 401, 403, 404, 409 and any other 4xx: permanent, coded by status: the same call gets the same answer
 *   until someone changes the job, the role assignment or the request.
 */
const PERMANENT_CODES: Readonly<Record<number, PermanentCode>> = {
  400: 'arm.bad-request',
  401: 'arm.unauthorized',
  403: 'arm.forbidden',
  404: 'arm.not-found',
  409: 'arm.conflict',
};

export interface ArmErrorBody {
  readonly code?: string;
  readonly message?: string;
}

/** The `error` object of an ARM error body, or nothing when the body is not one (an HTML gateway page). */
export function readArmErrorBody(text: string): ArmErrorBody {
  try {
    const parsed: unknown = JSON.parse(text);
    const error =
      typeof parsed === 'object' && parsed !== null ? (parsed as { error?: unknown }).error : undefined;
    if (typeof error !== 'object' || error === null) return {};
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      ...(typeof code === 'string' ? { code } : {}),
      ...(typeof message === 'string' ? { message } : {}),
    };
  } catch {
    return {};
  }
}

export function armResponseError(
  status: number,
  text: string,
  retryAfterMs: number | undefined,
  context: ErrorContext,
): PipelineError {
  const body = readArmErrorBody(text);
  const armCode = body.code ?? null;
  const detail = body.message ?? text.slice(0, 200);
  const what = `ARM ${String(context.operation)} answered HTTP ${status}${armCode ? ` ${armCode}` : ''}`;
  const full: ErrorContext = {
    ...context,
    status,
    armCode,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
  if (status === 429) return PipelineError.transient('arm.throttled', `${what}: ${detail}`, full);
  if (status >= 500 || status === 408)
    return PipelineError.transient('arm.unavailable', `${what}: ${detail}`, full);
  return PipelineError.permanent(PERMANENT_CODES[status] ?? 'arm.rejected', `${what}: ${detail}`, full);
}

/** A response ARM should not have sent: not JSON, or JSON without what the operation promises. */
export function armMalformed(problem: string, context: ErrorContext): PipelineError {
  return PipelineError.permanent(
    'arm.malformed-response',
    `ARM ${String(context.operation)} answered ${problem}`,
    context,
  );
}

/** A request that got no answer: aborted by the caller, timed out, or a failed connection; all transient. */
export function armNetworkError(
  error: unknown,
  context: ErrorContext,
  how: { readonly aborted: boolean; readonly timeoutMs: number },
): PipelineError {
  const what = `ARM ${String(context.operation)}`;
  if (how.aborted) return PipelineError.transient('arm.aborted', `${what} was aborted`, context, error);
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    const message = `${what} took longer than ${how.timeoutMs} ms`;
    return PipelineError.transient('arm.timeout', message, { ...context, timeoutMs: how.timeoutMs }, error);
  }
  // fetch rejects with a TypeError for DNS, refused and reset connections (the Node code is in `cause`).
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  return PipelineError.transient('arm.network', `${what} failed: ${describeError(cause)}`, context, error);
}

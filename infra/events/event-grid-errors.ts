import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';

/**
 * The one place where a failure to send to the Event Grid topic becomes a PipelineError:
 *
 * - `eventgrid.unavailable` (retryable): 408, 429 and 5xx (the SDK has already retried them), no answer at all
 *   (DNS, refused or reset connections, timeouts), or no token from the identity endpoint.
 * - `eventgrid.unauthorized` (retryable): 401 and 403. The usual cause is the "EventGrid Data Sender" role of
 *   the pipeline's identity: Azure takes minutes to apply a new role assignment, and a token issued before it
 *   lacks it, so right after a deployment these answers heal by themselves. Retried with the redelivery
 *   back-off; a role that is really missing ends in the `event-grid` subscription's dead-letter queue after
 *   its deliveries are spent, where the events can be resubmitted once it is fixed.
 * - `eventgrid.rejected` (permanent): any other 4xx (400 an event the topic refuses, 404 no such topic,
 *   413 too large); sending it again fails the same way.
 * - `eventgrid.failed` (permanent): anything else, a bug or an unexpected SDK state.
 *
 * Context: the topic's host, the event's id and type, and the HTTP `status` and the service's error code
 * when there was an answer. Never the token.
 */
export interface EventGridPlace {
  readonly topicHost: string;
  readonly eventId: string;
  readonly eventType: string;
}

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

const CREDENTIAL_ERRORS = /^(AuthenticationError|CredentialUnavailableError|AggregateAuthenticationError)$/;

export function classifyEventGridError(error: unknown, place: EventGridPlace): PipelineError {
  if (error instanceof PipelineError) return error;
  const status = statusOf(error);
  const serviceCode = serviceCodeOf(error);
  const context: ErrorContext = { ...place };
  if (status !== undefined) context.status = status;
  if (serviceCode !== undefined) context.errorCode = serviceCode;
  const message = `Event Grid refused or did not take event ${place.eventId} (${place.eventType}): ${messageOf(error)}`;
  if (status !== undefined) {
    if (status === 408 || status === 429 || status >= 500)
      return PipelineError.transient('eventgrid.unavailable', message, context, error);
    if (status === 401 || status === 403)
      return PipelineError.transient('eventgrid.unauthorized', message, context, error);
    if (status >= 400) return PipelineError.permanent('eventgrid.rejected', message, context, error);
  }
  if (isTransportFailure(error) || isCredentialFailure(error))
    return PipelineError.transient('eventgrid.unavailable', message, context, error);
  return PipelineError.permanent('eventgrid.failed', message, context, error);
}

/** The HTTP status of a `RestError` (core-rest-pipeline's, which the SDK throws; read by shape, not class). */
function statusOf(error: unknown): number | undefined {
  if (!(error instanceof Error) || error.name !== 'RestError') return undefined;
  const status = (error as { statusCode?: unknown }).statusCode;
  return typeof status === 'number' ? status : undefined;
}

function serviceCodeOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
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

function isCredentialFailure(error: unknown): boolean {
  return error instanceof Error && CREDENTIAL_ERRORS.test(error.name);
}

function messageOf(error: unknown): string {
  // An abort (the send's time limit) has an empty message; its name says what happened.
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.split('\n')[0] ?? text;
}

import { isServiceBusError, ServiceBusError } from '@azure/service-bus';
import type { MessagingError, ServiceBusErrorCode } from '@azure/service-bus';
import type { ClassifiedCode } from '../../shared/error-codes';
import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import { describePlace } from './entity-address';
import type { ServiceBusPlace } from './entity-address';

/**
 * The one place where Service Bus SDK failures become PipelineErrors. Callers only ever see these codes:
 *
 * - `servicebus.entity-not-found`: the queue/topic/subscription does not exist (misconfiguration): permanent.
 * - `servicebus.lock-lost`: the message or session lock expired or was taken over; settling this delivery can
 *   never succeed, the message comes back by itself: permanent for that delivery.
 * - `servicebus.session-locked`: another receiver holds the session: retryable (it will let go).
 * - `servicebus.unavailable`: timeouts, a busy or unreachable service, network errors, a token that could not be
 *   obtained, or a GeneralError the SDK marks retryable: retryable.
 * - `servicebus.message-too-large`, `servicebus.unauthorized`: permanent.
 * - `servicebus.failed`: anything else, keeping the SDK's `retryable` flag (false for non-SDK errors).
 *
 * The adapter itself adds `servicebus.invalid-message` / `servicebus.invalid-request` (permanent) for arguments it
 * rejects before calling the SDK. Context carries the entity (`queue`, or `topic`/`subscription`), the
 * `operation`, narrowing fields (`sessionId`, `messageId`, `deadLetter`) and the SDK's `errorCode` when known.
 */
const BY_CODE: Partial<Record<ServiceBusErrorCode, ClassifiedCode>> = {
  MessagingEntityNotFound: { code: 'servicebus.entity-not-found', retryable: false },
  MessageLockLost: { code: 'servicebus.lock-lost', retryable: false },
  SessionLockLost: { code: 'servicebus.lock-lost', retryable: false },
  SessionCannotBeLocked: { code: 'servicebus.session-locked', retryable: true },
  ServiceTimeout: { code: 'servicebus.unavailable', retryable: true },
  ServiceBusy: { code: 'servicebus.unavailable', retryable: true },
  ServiceCommunicationProblem: { code: 'servicebus.unavailable', retryable: true },
  MessageSizeExceeded: { code: 'servicebus.message-too-large', retryable: false },
  UnauthorizedAccess: { code: 'servicebus.unauthorized', retryable: false },
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
// @azure/identity's failures to get a token (managed identity endpoint not answering yet, no login locally).
const CREDENTIAL_ERRORS = new Set(['AuthenticationError', 'CredentialUnavailableError']);

export function classifyServiceBusError(
  error: unknown,
  operation: string,
  place: ServiceBusPlace,
): PipelineError {
  if (error instanceof PipelineError) return error;
  const context = contextOf(place, operation);
  const message = `service bus ${operation} on ${describePlace(place)} failed: ${firstLine(error)}`;
  const sdkError = asServiceBusError(error);
  if (sdkError) {
    context.errorCode = sdkError.code;
    const known = BY_CODE[sdkError.code];
    if (known) return new PipelineError(known.code, message, known.retryable, context, { cause: error });
    const code =
      sdkError.code === 'GeneralError' && sdkError.retryable ? 'servicebus.unavailable' : 'servicebus.failed';
    return new PipelineError(code, message, sdkError.retryable, context, { cause: error });
  }
  if (isNetworkFailure(error) || (error instanceof Error && CREDENTIAL_ERRORS.has(error.name))) {
    if (error instanceof Error) context.errorCode = (error as NodeJS.ErrnoException).code ?? error.name;
    return PipelineError.transient('servicebus.unavailable', message, context, error);
  }
  // Not from the SDK's error vocabulary: a bug or an unexpected state, unless something marked it retryable.
  const retryable = (error as { retryable?: unknown } | null)?.retryable === true;
  return new PipelineError('servicebus.failed', message, retryable, context, { cause: error });
}

/** Runs `action` and classifies whatever it throws. */
export async function serviceBusCall<T>(
  operation: string,
  place: ServiceBusPlace,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw classifyServiceBusError(error, operation, place);
  }
}

/** A ServiceBusError as is; a bare core-amqp MessagingError normalised to one (same code mapping as the SDK). */
function asServiceBusError(error: unknown): ServiceBusError | undefined {
  if (isServiceBusError(error)) return error;
  if (error instanceof Error && error.name === 'MessagingError')
    return new ServiceBusError(error as MessagingError);
  return undefined;
}

function isNetworkFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as NodeJS.ErrnoException).code;
    if (code !== undefined && NETWORK_CODES.has(code)) return true;
    current = current.cause;
  }
  return false;
}

/** The place as error context (undefined fields dropped), also for errors the adapter raises itself. */
export function placeContext(place: ServiceBusPlace): ErrorContext {
  const context: ErrorContext = {};
  for (const [key, value] of Object.entries(place)) if (value !== undefined) context[key] = value;
  return context;
}

function contextOf(place: ServiceBusPlace, operation: string): ErrorContext {
  return { ...placeContext(place), operation };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

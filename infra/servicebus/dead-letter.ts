import { PipelineError } from '../../shared/errors';
import type { PipelineErrorJson } from '../../shared/errors';
import type { ServiceBusPlace } from './entity-address';
import { placeContext } from './service-bus-errors';

/**
 * Why a message is dead-lettered. `reason` is short and machine-matchable (an error code); `description` is for
 * the human reading the dead-letter queue. Passing a PipelineError instead stores its code as the reason and its
 * JSON as the description, so `deadLetterError` can rebuild the error from a dead-lettered message.
 */
export interface DeadLetterReason {
  readonly reason: string;
  /** Default: the reason. */
  readonly description?: string;
}

// The .NET SDK refuses either property over 4096 characters (Azure.Messaging.ServiceBus documents the limit);
// staying within it keeps a dead-letter request from failing, which would leave the message to be redelivered
// instead of parked.
const MAX_LENGTH = 4096;

export function deadLetterOptions(
  why: DeadLetterReason | PipelineError,
  place: ServiceBusPlace,
): { deadLetterReason: string; deadLetterErrorDescription: string } {
  const reason = why instanceof PipelineError ? why.code : why.reason;
  if (typeof reason !== 'string' || reason.trim() === '') {
    throw PipelineError.permanent('servicebus.invalid-request', 'a dead-letter reason is required', {
      ...placeContext(place),
      operation: 'deadLetter',
    });
  }
  const description = why instanceof PipelineError ? JSON.stringify(why) : (why.description ?? why.reason);
  return { deadLetterReason: clip(reason), deadLetterErrorDescription: clip(description) };
}

/**
 * The PipelineError a message was dead-lettered with, when its description is one (see `deadLetterOptions`);
 * `undefined` for other reasons, e.g. the service's own `MaxDeliveryCountExceeded` or `TTLExpiredException`.
 */
export function deadLetterError(message: {
  readonly deadLetterReason?: string;
  readonly deadLetterDescription?: string;
}): PipelineError | undefined {
  if (!message.deadLetterDescription?.startsWith('{')) return undefined;
  try {
    const json = JSON.parse(message.deadLetterDescription) as Partial<PipelineErrorJson>;
    const valid =
      json.name === 'PipelineError' &&
      json.code === message.deadLetterReason &&
      typeof json.message === 'string' &&
      typeof json.retryable === 'boolean';
    return valid
      ? PipelineError.fromJSON({ ...json, context: json.context ?? {} } as PipelineErrorJson)
      : undefined;
  } catch {
    return undefined; // a clipped or hand-written description
  }
}

function clip(text: string): string {
  return text.length <= MAX_LENGTH ? text : `${text.slice(0, MAX_LENGTH - 1)}…`;
}

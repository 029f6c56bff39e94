import type { ServiceBusMessage } from '@azure/service-bus';
import { PipelineError } from '../../shared/errors';
import type { ServiceBusPlace } from './entity-address';
import { placeContext } from './service-bus-errors';

/** Values Service Bus can carry as application properties (AMQP simple types). */
export type ApplicationPropertyValue = string | number | boolean | Date | null;

/** A message as the pipeline sends it. */
export interface OutgoingMessage {
  /**
   * Required: entities detect duplicates by message id, which is what makes re-sending after a failure (or a
   * partly sent batch) safe. Derive it from the content's identity, e.g. the Fedora message id. 1-128 characters.
   */
  readonly messageId: string;
  /**
   * Any JSON-serializable value. It travels as UTF-8 JSON in the AMQP data section (what the SDK itself does
   * for non-binary bodies and what the Functions trigger reads) and is received back parsed.
   */
  readonly body: unknown;
  /** Required on session entities (`builds`, `publish`): messages of one session are handled in order. */
  readonly sessionId?: string;
  readonly subject?: string;
  readonly correlationId?: string;
  /** Default `application/json`. */
  readonly contentType?: string;
  readonly applicationProperties?: Readonly<Record<string, ApplicationPropertyValue>>;
  /** Delivered no earlier than this; prefer `MessageSender.schedule` when the send may need cancelling. */
  readonly scheduledEnqueueTime?: Date;
  /** Lifetime after enqueueing; default the entity's default time to live. */
  readonly timeToLiveMs?: number;
}

const MAX_ID_LENGTH = 128;

/** Validates and converts to the SDK's shape; a bad message is a permanent `servicebus.invalid-message`. */
export function toServiceBusMessage(message: OutgoingMessage, place: ServiceBusPlace): ServiceBusMessage {
  const reject = (problem: string): never => {
    throw PipelineError.permanent('servicebus.invalid-message', `outgoing message ${problem}`, {
      ...placeContext(place),
      messageId: typeof message.messageId === 'string' ? message.messageId.slice(0, MAX_ID_LENGTH) : null,
    });
  };
  if (typeof message.messageId !== 'string' || message.messageId.length === 0) reject('has no messageId');
  if (message.messageId.length > MAX_ID_LENGTH)
    reject(`messageId is longer than ${MAX_ID_LENGTH} characters`);
  if (
    message.sessionId !== undefined &&
    (message.sessionId === '' || message.sessionId.length > MAX_ID_LENGTH)
  ) {
    reject(`sessionId must have 1-${MAX_ID_LENGTH} characters`);
  }
  if (message.timeToLiveMs !== undefined && !(message.timeToLiveMs > 0))
    reject('timeToLiveMs must be positive');
  if (message.scheduledEnqueueTime !== undefined && Number.isNaN(message.scheduledEnqueueTime.getTime())) {
    reject('scheduledEnqueueTime is an invalid Date');
  }
  return {
    messageId: message.messageId,
    body: serializeBody(message.body, reject),
    contentType: message.contentType ?? 'application/json',
    ...(message.sessionId === undefined ? {} : { sessionId: message.sessionId }),
    ...(message.subject === undefined ? {} : { subject: message.subject }),
    ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    ...(message.applicationProperties === undefined
      ? {}
      : { applicationProperties: { ...message.applicationProperties } }),
    ...(message.scheduledEnqueueTime === undefined
      ? {}
      : { scheduledEnqueueTimeUtc: message.scheduledEnqueueTime }),
    ...(message.timeToLiveMs === undefined ? {} : { timeToLive: message.timeToLiveMs }),
  };
}

/**
 * Serialised here rather than by the SDK so that a body JSON cannot represent (a bigint, a cycle, `undefined`)
 * fails as a classified error naming the message, and the bytes on the wire are exactly this JSON.
 */
function serializeBody(body: unknown, reject: (problem: string) => never): Buffer {
  let json: string | undefined;
  try {
    json = JSON.stringify(body);
  } catch (error) {
    reject(`body is not JSON-serializable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (json === undefined) return reject('body is not JSON-serializable (undefined or a function)');
  return Buffer.from(json, 'utf8');
}

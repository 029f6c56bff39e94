import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import type { PipelineError } from '../../shared/errors';
import { deadLetterOptions } from './dead-letter';
import type { DeadLetterReason } from './dead-letter';
import type { ServiceBusPlace } from './entity-address';
import type { ApplicationPropertyValue } from './outgoing-message';
import { fromLong } from './sequence-number';
import type { SequenceNumber } from './sequence-number';
import { serviceBusCall } from './service-bus-errors';

/** What a received or peeked message carries. Peeked messages hold no lock, so they have no settlement. */
export interface MessageView {
  readonly messageId: string;
  /** The parsed JSON body; a body that is not JSON arrives as a Buffer. */
  readonly body: unknown;
  readonly sessionId: string | undefined;
  readonly subject: string | undefined;
  readonly correlationId: string | undefined;
  readonly contentType: string | undefined;
  readonly applicationProperties: Readonly<Record<string, ApplicationPropertyValue>>;
  /** How many earlier deliveries were abandoned or lost their lock: 0 on the first delivery. */
  readonly deliveryCount: number;
  readonly sequenceNumber: SequenceNumber;
  readonly enqueuedTime: Date | undefined;
  readonly scheduledEnqueueTime: Date | undefined;
  /** Until when this delivery's lock holds (it moves when the lock is renewed); undefined when peeked. */
  readonly lockedUntil: Date | undefined;
  readonly state: 'active' | 'deferred' | 'scheduled';
  /** Set on messages read from a dead-letter queue. */
  readonly deadLetterReason: string | undefined;
  readonly deadLetterDescription: string | undefined;
  readonly deadLetterSource: string | undefined;
}

/**
 * A message received in peek-lock mode. Settle it exactly once, within its lock: `complete` when done,
 * `abandon` to have it redelivered (the delivery count grows; past the entity's maximum it is dead-lettered),
 * `deadLetter` to park it for a human, `defer` to set it aside for `receiveDeferred`. Settling after the lock
 * expired fails with `servicebus.lock-lost`: the message has already come back or gone to another receiver.
 */
export interface ReceivedMessage extends MessageView {
  complete(): Promise<void>;
  /** `propertiesToModify` are merged into the message's application properties for the next delivery. */
  abandon(propertiesToModify?: Readonly<Record<string, ApplicationPropertyValue>>): Promise<void>;
  /** A PipelineError is stored as reason = its code, description = its JSON (see `deadLetterError`). */
  deadLetter(why: DeadLetterReason | PipelineError): Promise<void>;
  defer(): Promise<void>;
  /** Extends the lock by the entity's lock duration; returns the new `lockedUntil`. Not for session messages. */
  renewLock(): Promise<Date>;
}

export function toMessageView(raw: ServiceBusReceivedMessage): MessageView {
  return {
    messageId: raw.messageId === undefined ? '' : String(raw.messageId),
    body: raw.body,
    sessionId: raw.sessionId,
    subject: raw.subject,
    correlationId: raw.correlationId === undefined ? undefined : String(raw.correlationId),
    contentType: raw.contentType,
    applicationProperties: raw.applicationProperties ?? {},
    deliveryCount: raw.deliveryCount ?? 0,
    // The service stamps every message it hands out; -1 only if a broken response left it out.
    sequenceNumber: raw.sequenceNumber === undefined ? -1n : fromLong(raw.sequenceNumber),
    enqueuedTime: raw.enqueuedTimeUtc,
    scheduledEnqueueTime: raw.scheduledEnqueueTimeUtc,
    lockedUntil: raw.lockedUntilUtc,
    state: raw.state,
    deadLetterReason: raw.deadLetterReason,
    deadLetterDescription: raw.deadLetterErrorDescription,
    deadLetterSource: raw.deadLetterSource,
  };
}

/** Wraps an SDK message with settlement through the receiver that received it (locks belong to its link). */
export function toReceivedMessage(
  raw: ServiceBusReceivedMessage,
  receiver: ServiceBusReceiver,
  entityPlace: ServiceBusPlace,
): ReceivedMessage {
  const view = toMessageView(raw);
  const place = { ...entityPlace, messageId: view.messageId, sessionId: view.sessionId };
  const settle = (operation: string, action: () => Promise<unknown>) =>
    serviceBusCall(operation, place, action).then(() => undefined);
  return {
    ...view,
    // A getter, so a renewal (which the SDK records on the raw message) shows.
    get lockedUntil() {
      return raw.lockedUntilUtc;
    },
    complete: () => settle('complete', () => receiver.completeMessage(raw)),
    abandon: (properties) =>
      settle('abandon', () =>
        receiver.abandonMessage(raw, properties === undefined ? undefined : { ...properties }),
      ),
    deadLetter: async (why) => {
      const options = deadLetterOptions(why, place);
      await settle('deadLetter', () => receiver.deadLetterMessage(raw, options));
    },
    defer: () => settle('defer', () => receiver.deferMessage(raw)),
    renewLock: () => serviceBusCall('renewLock', place, () => receiver.renewMessageLock(raw)),
  };
}

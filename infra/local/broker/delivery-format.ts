import { randomUUID } from 'node:crypto';
import type { Message as AmqpMessage } from 'rhea';
import { message as amqpCodec, types } from 'rhea';
import { long } from './amqp-values';
import type { BrokerMessage, MessageLock } from './broker-message';
import { deliveryCountHeader } from './broker-message';

/** The AMQP message format of a Service Bus batch: one transfer whose data sections are encoded messages. */
export const BATCH_MESSAGE_FORMAT = 0x80013700;

const messageStateCode = { active: 0, deferred: 1, scheduled: 2 } as const;

/** A message as a receiver sees it: the sent message plus the annotations Service Bus adds. */
export function toDelivered(message: BrokerMessage, lock: MessageLock | undefined): AmqpMessage {
  const annotations: Record<string, unknown> = {
    ...(message.amqp.message_annotations ?? {}),
    'x-opt-sequence-number': long(message.sequenceNumber),
    'x-opt-enqueue-sequence-number': long(message.sequenceNumber),
    'x-opt-enqueued-time': new Date(message.enqueuedAt),
    'x-opt-message-state': types.wrap_int(messageStateCode[message.state]),
  };
  if (message.scheduledAt !== undefined)
    annotations['x-opt-scheduled-enqueue-time'] = new Date(message.scheduledAt);
  if (lock) annotations['x-opt-locked-until'] = new Date(lock.until);
  return {
    ...message.amqp,
    message_id: message.amqp.message_id ?? message.messageId,
    delivery_count: deliveryCountHeader(message),
    message_annotations: annotations,
  };
}

export const encodeDelivered = (message: BrokerMessage, lock?: MessageLock): Buffer =>
  amqpCodec.encode(toDelivered(message, lock));

/**
 * The encoded size of a transfer: a batch (or any format rhea does not decode) arrives as its bytes; a single
 * message arrives decoded, and encoding it again gives the size it had on the wire.
 */
export function transferSize(received: AmqpMessage | Buffer): number {
  return Buffer.isBuffer(received) ? received.length : amqpCodec.encode(received).length;
}

/** Splits what a sender transferred into the messages it holds (one, or a batch), giving each an id. */
export function unpackTransfer(received: AmqpMessage | Buffer, format: number | undefined): AmqpMessage[] {
  // rhea decodes only format 0; any other format arrives as the raw transfer bytes.
  const envelope = Buffer.isBuffer(received)
    ? (amqpCodec.decode(received) as unknown as AmqpMessage)
    : received;
  const messages = format === BATCH_MESSAGE_FORMAT ? batchMembers(envelope) : [envelope];
  for (const message of messages) {
    if (message.message_id === undefined || message.message_id === null) {
      message.message_id = randomUUID().replace(/-/g, '');
    }
  }
  return messages;
}

function batchMembers(envelope: AmqpMessage): AmqpMessage[] {
  const body = envelope.body as { content?: Buffer | Buffer[]; multiple?: boolean } | undefined;
  const content = body?.content;
  const sections = Array.isArray(content) ? content : content ? [content] : [];
  return sections.map((bytes) => amqpCodec.decode(bytes) as unknown as AmqpMessage);
}

/** The scheduled enqueue time a sender put on a message, if any. */
export function scheduledTimeOf(message: AmqpMessage): number | undefined {
  const value = message.message_annotations?.['x-opt-scheduled-enqueue-time'];
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'number') return value;
  return undefined;
}

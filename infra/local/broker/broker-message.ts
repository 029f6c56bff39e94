import type { Message as AmqpMessage } from 'rhea';

/** Where a message is in its life; `locked` is tracked separately, by lock token. */
export type MessageState = 'active' | 'scheduled' | 'deferred';

/**
 * A message as the broker keeps it: the AMQP message the client sent (annotations it gains along the way are
 * merged into it) plus the broker's bookkeeping. Everything here is what the journal persists.
 */
export interface BrokerMessage {
  readonly sequenceNumber: number;
  readonly messageId: string;
  readonly sessionId: string | undefined;
  amqp: AmqpMessage;
  /** When it was enqueued; for a scheduled message, when it became active (as Azure reports it). */
  enqueuedAt: number;
  scheduledAt: number | undefined;
  readonly expiresAt: number;
  /**
   * Azure's DeliveryCount: how often the message was handed out (received under a lock, received and deleted,
   * or received by sequence number after deferral). A dead-letter queue does not count its own deliveries.
   * The AMQP header `delivery-count` shows the deliveries before the current one (`deliveryCountHeader`).
   */
  deliveries: number;
  state: MessageState;
}

export interface MessageLock {
  readonly token: string;
  readonly sequenceNumber: number;
  until: number;
  /** The receiver link (or management client) holding it; released when that link goes away, for sessions. */
  readonly owner: string;
}

/** The message id or session id of an AMQP message, as Service Bus reads them. */
export function messageIdOf(amqp: AmqpMessage): string | undefined {
  const id = amqp.message_id;
  if (id === undefined || id === null) return undefined;
  return Buffer.isBuffer(id) ? id.toString('hex') : String(id);
}

export function sessionIdOf(amqp: AmqpMessage): string | undefined {
  const group = amqp.group_id;
  return group === undefined || group === null || group === '' ? undefined : String(group);
}

/** The AMQP `delivery-count` a receiver sees: earlier deliveries, so 0 on the first (the SDK's `deliveryCount`). */
export const deliveryCountHeader = (message: BrokerMessage): number => Math.max(0, message.deliveries - 1);

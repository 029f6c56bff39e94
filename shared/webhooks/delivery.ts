import { createHash } from 'node:crypto';
import { z } from 'zod';
import { describes } from '../schema-matches';

/**
 * Webhook delivery (issue 17 item 3): the message that asks for one attempt, and the records its attempts
 * leave. An event reaches an endpoint as a *delivery* (one event for one endpoint, `deliveryId`), made of
 * *attempts*. Each attempt is one message on the `webhook-deliveries` queue (session = endpoint id); a failed
 * attempt schedules the next as a new message, so retries survive restarts and wait in Service Bus, not here.
 * A redelivery (on request, or `recover`) starts a new *round* of the same delivery: same `webhook-id`.
 */

/** Why a delivery was started. */
export const deliveryTriggers = ['event', 'ping', 'redeliver', 'recover'] as const;
export type DeliveryTrigger = (typeof deliveryTriggers)[number];

/** A CloudEvent in structured mode as the `events` topic carries it; checked again where it is parsed. */
const structuredEvent = z
  .object({ specversion: z.string(), id: z.string().min(1), source: z.string(), type: z.string() })
  .loose();

/** One attempt to make: the body of a `webhook-deliveries` message. */
export const deliveryMessageSchema = z.strictObject({
  endpointId: z.string().min(1),
  deliveryId: z.string().min(1),
  /** The CloudEvent as it was fanned out (so a retry sends the same event even if the endpoint changed). */
  event: structuredEvent,
  /** 1 for the first attempt of a round. */
  attempt: z.int().min(1),
  /** 1 for the first round; each redelivery adds one. */
  round: z.int().min(1),
  trigger: z.enum(deliveryTriggers),
  /** How many times this attempt waited for its failing endpoint's cool-down (absent: never). */
  deferral: z.int().min(1).optional(),
});
export type DeliveryMessage = z.infer<typeof deliveryMessageSchema>;

/**
 * `dlv_` and 32 hex digits of SHA-256 over the event id and the endpoint id: the same event fanned out again
 * (a redelivered `events` message) names the same delivery, so its messages are duplicates and dropped.
 */
export function deliveryIdOf(eventId: string, endpointId: string): string {
  return `dlv_${createHash('sha256').update(`${eventId}\n${endpointId}`).digest('hex').slice(0, 32)}`;
}

/**
 * The Service Bus message id of an attempt: unique per delivery, round and attempt, so a fan-out or a retry
 * that is sent twice (a crash between send and settle) is one message.
 */
export function attemptMessageId(
  message: Pick<DeliveryMessage, 'deliveryId' | 'round' | 'attempt' | 'deferral'>,
): string {
  const deferred = message.deferral === undefined ? '' : `:d${message.deferral}`;
  return `${message.deliveryId}:${message.round}:${message.attempt}${deferred}`;
}

/** Where a delivery stands. */
export const deliveryStatuses = ['pending', 'retrying', 'delivered', 'failed', 'skipped'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One delivery (an event for an endpoint) and where it stands; what redelivery and `recover` read. */
export interface DeliveryRecord {
  readonly endpointId: string;
  readonly deliveryId: string;
  readonly eventId: string;
  /** The catalogue type (`build.failed`). */
  readonly eventType: string;
  readonly subject: string;
  /** The CloudEvent, as the delivery message carried it. */
  readonly event: DeliveryMessage['event'];
  readonly status: DeliveryStatus;
  readonly round: number;
  /** Attempts made in all rounds. */
  readonly attempts: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastAttemptAt?: string;
  /** When the next attempt is due (status `retrying`). */
  readonly nextAttemptAt?: string;
  /** Why it failed or was skipped. */
  readonly detail?: string;
}

/** What one attempt came to. */
export const attemptResults = ['delivered', 'retrying', 'failed', 'endpoint-disabled'] as const;
export type AttemptResult = (typeof attemptResults)[number];

/** One attempt, as the delivery log keeps it (`GET /api/webhooks/{id}/deliveries`). */
export interface AttemptRecord {
  readonly endpointId: string;
  /** Unique in the endpoint's log, and in newest-first order (the table row key). */
  readonly attemptId: string;
  readonly deliveryId: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly round: number;
  readonly attempt: number;
  readonly trigger: DeliveryTrigger;
  readonly at: string;
  readonly result: AttemptResult;
  /** The answer's status; absent when there was none. */
  readonly status?: number;
  /** The error code when there was no answer (`webhook.timeout`), or the reason for the result. */
  readonly error?: string;
  readonly latencyMs: number;
  /** The first characters of the answer (at most `maxResponseExcerpt`). */
  readonly response?: string;
  readonly nextAttemptAt?: string;
}

/** `AttemptRecord` as the delivery log answers it. */
export const attemptRecordSchema = describes<AttemptRecord>()(
  z.object({
    endpointId: z.string(),
    attemptId: z.string(),
    deliveryId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    round: z.int().min(1),
    attempt: z.int().min(1),
    trigger: z.enum(deliveryTriggers),
    at: z.string(),
    result: z.enum(attemptResults),
    status: z.int().optional().describe("the answer's HTTP status; absent when there was none"),
    error: z.string().optional(),
    latencyMs: z.number().min(0),
    response: z.string().optional().describe('the first characters of the answer'),
    nextAttemptAt: z.string().optional(),
  }),
);

/** `AttemptPage`: `GET /api/webhooks/{id}/deliveries`. */
export const attemptPageSchema = describes<AttemptPage>()(
  z.object({
    attempts: z.array(attemptRecordSchema),
    continuationToken: z.string().optional().describe('pass back for the next page; absent on the last'),
  }),
);

/** How much of an answer the log keeps. */
export const maxResponseExcerpt = 1024;

/**
 * The attempt's row key: the time inverted (so a partition lists newest first) and the attempt's place in its
 * delivery. Pure; `at` in milliseconds.
 */
export function attemptIdOf(
  at: number,
  message: Pick<DeliveryMessage, 'deliveryId' | 'round' | 'attempt'>,
): string {
  const inverted = String(9_999_999_999_999 - at).padStart(13, '0');
  return `${inverted}_${message.deliveryId}_${message.round}_${message.attempt}`;
}

/** A page of the delivery log. */
export interface AttemptPage {
  readonly attempts: readonly AttemptRecord[];
  /** Pass back as `continuationToken` for the next page; absent on the last. */
  readonly continuationToken?: string;
}

/** Where deliveries and attempts are kept (Tables in infra; maps in tests). */
export interface DeliveryLog {
  /** Writes (replaces) the delivery's record. */
  saveDelivery(record: DeliveryRecord): Promise<void>;
  getDelivery(endpointId: string, deliveryId: string): Promise<DeliveryRecord | undefined>;
  /** The endpoint's deliveries whose status is one of `statuses` and that were last updated at or after `since`. */
  deliveriesSince(
    endpointId: string,
    since: Date,
    statuses: readonly DeliveryStatus[],
  ): Promise<DeliveryRecord[]>;
  recordAttempt(record: AttemptRecord): Promise<void>;
  /** The endpoint's attempts, newest first. */
  attempts(endpointId: string, page: { limit: number; continuationToken?: string }): Promise<AttemptPage>;
  /** Deletes deliveries and attempts older than `before`; how many rows. */
  deleteOlderThan(before: Date): Promise<number>;
}

/** Sends attempt messages (the `webhook-deliveries` queue). */
export interface DeliveryQueue {
  /** Sends now; duplicates (same `attemptMessageId`) are dropped by the queue. */
  send(messages: readonly DeliveryMessage[]): Promise<void>;
  /** Sends `message` to become visible at `at`. */
  schedule(message: DeliveryMessage, at: Date): Promise<void>;
}

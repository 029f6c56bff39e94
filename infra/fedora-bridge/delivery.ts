import { createHash } from 'node:crypto';
import type { Channel, ConsumeMessage } from 'amqplib';
import { describeError, PipelineError } from '../../shared/errors';
import type { IngestSink } from '../../shared/fedora/ingest-port';
import type { Logger } from '../../shared/logger';
import { backoffDelay, sleepUnlessAborted } from './backoff';
import type { BackoffPolicy } from './backoff';
import type { BridgeCounters } from './stats';
import { isUnparsed, toBridgeRecord } from './wire-message';

/**
 * One delivery's way through the bridge: convert (`wire-message.ts`), `submit` to the IngestSink, then settle.
 *
 * - Ack only after `submit` resolved: the sink resolves once the message is durably queued, so an ack can never
 *   precede the hand-over and a crash in between means a redelivery (the sink deduplicates), never a loss.
 * - When `submit` throws, the delivery is held for a backoff that grows per message (keyed by id, or content
 *   hash when there is none) and then given back with nack + requeue. Held deliveries count against the
 *   prefetch, which slows the stream while the sink is failing. Every error is treated this way, retryable or
 *   not: the sink reports bad messages as `rejected` results (and quarantines them) rather than by throwing, so
 *   a throw means "not queued", and dropping the message would lose it. A non-retryable error is logged at
 *   error level because it points at a sink bug or misconfiguration that retrying will not cure.
 * - When the session ends while a delivery is held (`release` aborts), it is requeued at once.
 * - Settling on a channel that is already closed fails; that is counted (`ackLost`), not thrown: the broker
 *   requeues or, with the exclusive queue gone, forgets the delivery, and the catch-up covers the rest.
 */
export interface DeliveryContext {
  /** The channel the delivery came on: acks must go back on it. */
  readonly channel: Channel;
  /** Aborted when the session ends or stops: stop holding, requeue now. */
  readonly release: AbortSignal;
}

const MAX_TRACKED = 10_000;

export class DeliveryHandler {
  /** Failed attempts per message, to grow its backoff across redeliveries; forgotten on success. */
  private readonly attempts = new Map<string, number>();

  constructor(
    private readonly sink: IngestSink,
    private readonly retry: BackoffPolicy,
    private readonly counters: BridgeCounters,
    private readonly logger: Logger,
  ) {}

  async handle(delivery: ConsumeMessage, context: DeliveryContext): Promise<void> {
    this.counters.add('received');
    if (delivery.fields.redelivered) this.counters.add('redelivered');
    this.counters.lastDeliveryAt = new Date().toISOString();
    const record = toBridgeRecord(delivery);
    const log = this.logger.child({ messageId: record.id, topic: record.topic });
    if (isUnparsed(record)) {
      this.counters.add('unparsed');
      log.warn('forwarding an unparsable delivery for rejection', { reason: record.bridgeProblem.reason });
    }
    const key = `${record.topic}\n${record.id ?? createHash('sha256').update(delivery.content).digest('hex')}`;
    try {
      const [result] = await this.sink.submit([record], 'amqp-bridge');
      if (result?.outcome === 'rejected') log.info('sink rejected the message', { reason: result.reason });
    } catch (error) {
      const attempt = this.failed(key);
      const delayMs = backoffDelay(this.retry, attempt);
      this.counters.lastError = `submit: ${describeError(error)}`;
      const retryable = !PipelineError.is(error) || error.retryable;
      const fields = { attempt, delayMs, error };
      if (retryable) log.warn('sink did not take the message; requeueing after a delay', fields);
      else log.error('sink failed with a non-retryable error; requeueing after a delay', fields);
      await sleepUnlessAborted(delayMs, context.release);
      if (settle(() => context.channel.nack(delivery, false, true))) this.counters.add('requeued');
      return;
    }
    this.attempts.delete(key);
    if (settle(() => context.channel.ack(delivery))) this.counters.add('acked');
    else {
      this.counters.add('ackLost');
      log.info('submitted, but the channel closed before the ack; a redelivery will be deduplicated');
    }
  }

  private failed(key: string): number {
    const attempt = (this.attempts.get(key) ?? 0) + 1;
    this.attempts.delete(key);
    this.attempts.set(key, attempt);
    // Bounded: drop the oldest entries (Map keeps insertion order) so a long outage cannot grow it without end.
    while (this.attempts.size > MAX_TRACKED) {
      const oldest = this.attempts.keys().next();
      if (oldest.done) break;
      this.attempts.delete(oldest.value);
    }
    return attempt;
  }
}

/** Runs an ack/nack; false when the channel is closed (amqplib throws IllegalOperationError then). */
function settle(action: () => void): boolean {
  try {
    action();
    return true;
  } catch {
    return false;
  }
}

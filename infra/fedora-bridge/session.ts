import type { Channel, ChannelModel, ConsumeMessage } from 'amqplib';
import { describeError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import type { BridgeConfig } from './config';
import { openConnection } from './connect';
import type { DeliveryContext } from './delivery';
import { within } from './timeouts';

/**
 * One connection's life: connect, open a channel, set the prefetch, declare a server-named exclusive
 * auto-delete non-durable queue (what Fedora asks of public consumers: nobody else can read it, and it vanishes
 * with the connection), bind the routing keys to the exchange, consume with manual acks.
 *
 * `ended` resolves once, with why: `lost` (the connection or channel closed under us, or the server cancelled
 * the consumer), `recycle` (the bridge closed it to start afresh) or `stop`. A lost channel closes the
 * connection too, so the next session starts from a clean connection and queue.
 */
export type SessionEndReason = 'lost' | 'recycle' | 'stop';
export type SessionEnd = { readonly reason: SessionEndReason; readonly error?: string };
export type OnDelivery = (delivery: ConsumeMessage, context: DeliveryContext) => void;

/** Bound on each step of a deliberate close, so a half-dead connection cannot hang a recycle or a stop. */
const CLOSE_STEP_MS = 5_000;

export class ConsumerSession {
  readonly ended: Promise<SessionEnd>;
  private finish!: (end: SessionEnd) => void;
  private readonly releaseController = new AbortController();
  private channel: Channel | undefined;
  private consumerTag: string | undefined;
  private closing: SessionEndReason | undefined;
  private error: string | undefined;
  queue = '';

  private constructor(
    private readonly connection: ChannelModel,
    logger: Logger,
  ) {
    this.ended = new Promise((resolve) => (this.finish = resolve));
    // Listeners first: an 'error' event without a listener would crash the process.
    connection.on('error', (error: Error) => (this.error = describeError(error)));
    connection.on('close', (error?: Error) => this.done('lost', error));
    connection.on('blocked', (reason: string) =>
      logger.warn('the broker blocked the connection', { reason }),
    );
  }

  /** Aborts when the session starts ending (handlers stop holding deliveries and requeue them). */
  get release(): AbortSignal {
    return this.releaseController.signal;
  }

  static async open(config: BridgeConfig, onDelivery: OnDelivery, logger: Logger): Promise<ConsumerSession> {
    const session = new ConsumerSession(await openConnection(config), logger);
    try {
      await session.consume(config, onDelivery);
    } catch (error) {
      await session.close('recycle');
      throw error;
    }
    return session;
  }

  private async consume(config: BridgeConfig, onDelivery: OnDelivery): Promise<void> {
    const channel = await this.connection.createChannel();
    this.channel = channel;
    channel.on('error', (error: Error) => (this.error = describeError(error)));
    channel.on('close', () => {
      if (this.closing) return;
      this.done('lost');
      void this.closeConnection();
    });
    await channel.prefetch(config.prefetch);
    const declared = await channel.assertQueue('', { exclusive: true, autoDelete: true, durable: false });
    this.queue = declared.queue;
    for (const key of config.bindings) await channel.bindQueue(declared.queue, config.exchange, key);
    const context: DeliveryContext = { channel, release: this.release };
    const consumer = await channel.consume(
      declared.queue,
      // null: the broker cancelled the consumer (its queue was deleted): start again.
      (delivery) =>
        delivery
          ? onDelivery(delivery, context)
          : void this.close('lost', 'consumer cancelled by the broker'),
      { noAck: false, exclusive: true },
    );
    this.consumerTag = consumer.consumerTag;
  }

  /** Closes at once (recycle) — held deliveries are requeued, in-flight submits finish without an ack. */
  async close(reason: SessionEndReason, why?: string): Promise<void> {
    this.closing ??= reason;
    this.error ??= why;
    this.releaseController.abort();
    await this.closeConnection();
    this.done(reason);
  }

  /** Stop: no new deliveries, let the in-flight ones finish and ack (`drain`), then close. */
  async shutdown(drain: () => Promise<unknown>): Promise<void> {
    this.closing ??= 'stop';
    this.releaseController.abort();
    const channel = this.channel;
    if (channel && this.consumerTag) await within(channel.cancel(this.consumerTag), CLOSE_STEP_MS);
    await drain();
    if (channel) await within(channel.close(), CLOSE_STEP_MS);
    await this.close('stop');
  }

  private async closeConnection(): Promise<void> {
    if ((await within(this.connection.close(), CLOSE_STEP_MS)) === 'timeout') {
      // A connection that cannot even close is dead: drop its socket (amqplib keeps it as `connection.stream`).
      (this.connection.connection as unknown as { stream?: { destroy(): void } }).stream?.destroy();
    }
  }

  private done(reason: SessionEndReason, error?: Error): void {
    this.releaseController.abort();
    const why = error ? describeError(error) : this.error;
    this.finish({ reason: this.closing ?? reason, ...(why === undefined ? {} : { error: why }) });
  }
}

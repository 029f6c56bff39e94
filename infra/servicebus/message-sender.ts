import type {
  ServiceBusClient,
  ServiceBusMessage,
  ServiceBusMessageBatch,
  ServiceBusSender,
} from '@azure/service-bus';
import { PipelineError } from '../../shared/errors';
import { describePlace, placeOf, targetName } from './entity-address';
import type { SendTarget, ServiceBusPlace } from './entity-address';
import { toServiceBusMessage } from './outgoing-message';
import type { OutgoingMessage } from './outgoing-message';
import { fromLong, toLong } from './sequence-number';
import type { SequenceNumber, SequenceNumberInput } from './sequence-number';
import { placeContext, serviceBusCall } from './service-bus-errors';
import { withTraceContext } from './trace-properties';
import { serviceBusAttributes, serviceBusSpanKind, serviceBusSpanName } from '../telemetry/messaging';
import { withSpan } from '../telemetry/tracing';

/**
 * Sends to one queue or topic. Every failure is a classified PipelineError naming the entity. The underlying
 * link opens on the first send and lives until `close()` (or until the client is closed).
 *
 * Each send and schedule runs in a PRODUCER span (`send <entity>`), and every message carries that span's
 * W3C trace context as the application properties `traceparent` and `Diagnostic-Id` (see
 * `trace-properties.ts`), which is how one trace follows a Fedora message from queue to queue. A message
 * that already carries a context keeps it.
 */
export class MessageSender {
  private readonly sender: ServiceBusSender;
  private readonly place: ServiceBusPlace;
  private readonly destination: string;

  constructor(client: ServiceBusClient, target: SendTarget) {
    this.destination = targetName(target);
    this.sender = client.createSender(this.destination);
    this.place = placeOf(target);
  }

  /** One message, checked against the entity's size limit before it is sent. */
  async send(message: OutgoingMessage): Promise<void> {
    await this.sendBatch([message]);
  }

  /**
   * Sends `messages` in order, in as many SDK batches as the entity's size limit needs, and returns how many
   * batches that took. Each batch is atomic, the whole call is not: when it fails part-way, earlier batches
   * were sent. Send them all again; duplicate detection by message id drops the ones that arrived.
   * All messages are validated before anything is sent.
   */
  async sendBatch(messages: readonly OutgoingMessage[]): Promise<number> {
    if (messages.length === 0) return 0;
    return this.traced('send', messages, () => this.sendAll(messages));
  }

  private async sendAll(messages: readonly OutgoingMessage[]): Promise<number> {
    const prepared = messages.map((message) => toServiceBusMessage(withTraceContext(message), this.place));
    let batches = 0;
    let batch = await this.newBatch();
    for (const message of prepared) {
      if (batch.tryAddMessage(message)) continue;
      if (batch.count === 0) throw this.tooLarge(message, batch);
      await this.sendOne(batch);
      batches += 1;
      batch = await this.newBatch();
      if (!batch.tryAddMessage(message)) throw this.tooLarge(message, batch);
    }
    if (batch.count > 0) {
      await this.sendOne(batch);
      batches += 1;
    }
    return batches;
  }

  /**
   * Enqueues `message` to become visible at `at` and returns its sequence number, the only handle for
   * `cancelScheduled`: persist it (`String(n)`) when the cancel may happen in another invocation.
   */
  schedule(message: OutgoingMessage, at: Date): Promise<SequenceNumber> {
    return this.traced('schedule', [message], () => this.scheduleOne(message, at));
  }

  private async scheduleOne(message: OutgoingMessage, at: Date): Promise<SequenceNumber> {
    const prepared = toServiceBusMessage(withTraceContext(message), this.place);
    const place = { ...this.place, messageId: message.messageId };
    if (Number.isNaN(at.getTime())) {
      throw PipelineError.permanent(
        'servicebus.invalid-request',
        'schedule time is an invalid Date',
        placeContext(place),
      );
    }
    const [sequenceNumber] = await serviceBusCall('schedule', place, () =>
      this.sender.scheduleMessages(prepared, at),
    );
    if (sequenceNumber === undefined) {
      throw PipelineError.permanent(
        'servicebus.failed',
        'schedule returned no sequence number',
        placeContext(place),
      );
    }
    return fromLong(sequenceNumber);
  }

  /** Cancels a scheduled message before it is enqueued; an unknown or already enqueued one is an error. */
  async cancelScheduled(sequenceNumber: SequenceNumberInput): Promise<void> {
    const place = { ...this.place, sequenceNumber: String(sequenceNumber) };
    const long = toLong(sequenceNumber, place);
    await serviceBusCall('cancelScheduled', place, () => this.sender.cancelScheduledMessages(long));
  }

  async close(): Promise<void> {
    await serviceBusCall('closeSender', this.place, () => this.sender.close());
  }

  private traced<T>(
    operation: 'send' | 'schedule',
    messages: readonly OutgoingMessage[],
    work: () => Promise<T>,
  ): Promise<T> {
    const [first] = messages;
    const attributes = serviceBusAttributes({
      operation,
      destination: this.destination,
      ...(messages.length === 1 && first ? { messageId: first.messageId } : { batchSize: messages.length }),
    });
    return withSpan(serviceBusSpanName({ operation, destination: this.destination }), attributes, work, {
      kind: serviceBusSpanKind(operation),
    });
  }

  private newBatch(): Promise<ServiceBusMessageBatch> {
    return serviceBusCall('createBatch', this.place, () => this.sender.createMessageBatch());
  }

  private async sendOne(batch: ServiceBusMessageBatch): Promise<void> {
    await serviceBusCall('send', { ...this.place, messages: batch.count }, () =>
      this.sender.sendMessages(batch),
    );
  }

  private tooLarge(message: ServiceBusMessage, batch: ServiceBusMessageBatch): PipelineError {
    const messageId = String(message.messageId);
    return PipelineError.permanent(
      'servicebus.message-too-large',
      `message ${messageId} does not fit in an empty batch for ${describePlace(this.place)} (limit ${batch.maxSizeInBytes} bytes)`,
      { ...placeContext(this.place), operation: 'send', messageId, maxSizeInBytes: batch.maxSizeInBytes },
    );
  }
}

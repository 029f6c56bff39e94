import type { ServiceBusReceiver } from '@azure/service-bus';
import { PipelineError } from '../../shared/errors';
import type { ServiceBusPlace } from './entity-address';
import { toMessageView, toReceivedMessage } from './received-message';
import type { MessageView, ReceivedMessage } from './received-message';
import { toLong } from './sequence-number';
import type { SequenceNumberInput } from './sequence-number';
import { placeContext, serviceBusCall } from './service-bus-errors';

/**
 * What every receiver of the adapter can do, over one SDK receiver in peek-lock mode: messages are locked, not
 * removed, on delivery, and are gone only once completed. `MessageReceiver` (a queue, a subscription or a
 * dead-letter queue) and `SessionReceiver` (one locked session) add how they are opened.
 */
export abstract class PeekLockReceiver {
  protected constructor(
    protected readonly sdk: ServiceBusReceiver,
    protected readonly place: ServiceBusPlace,
  ) {}

  /**
   * Up to `max` messages, waiting at most `waitMs` for the first; an empty array when none arrived. Once one
   * has arrived the SDK waits at most about a second more to fill the batch, so ask for what you can handle.
   */
  async receive(max: number, waitMs: number): Promise<ReceivedMessage[]> {
    this.requireCount(max, 'receive');
    const raw = await serviceBusCall('receive', this.place, () =>
      this.sdk.receiveMessages(max, { maxWaitTimeInMs: Math.max(0, waitMs) }),
    );
    return raw.map((message) => toReceivedMessage(message, this.sdk, this.place));
  }

  /** Deferred messages by sequence number, locked for settlement; unknown numbers are an error. */
  async receiveDeferred(sequenceNumbers: readonly SequenceNumberInput[]): Promise<ReceivedMessage[]> {
    if (sequenceNumbers.length === 0) return [];
    const longs = sequenceNumbers.map((n) => toLong(n, this.place));
    const raw = await serviceBusCall('receiveDeferred', this.place, () =>
      this.sdk.receiveDeferredMessages(longs),
    );
    return raw.map((message) => toReceivedMessage(message, this.sdk, this.place));
  }

  /**
   * Up to `max` messages without locking them (active, deferred and scheduled ones alike). Each call continues
   * after the last message this receiver peeked, so repeated calls walk the entity once.
   */
  async peek(max: number): Promise<MessageView[]> {
    this.requireCount(max, 'peek');
    const raw = await serviceBusCall('peek', this.place, () => this.sdk.peekMessages(max));
    return raw.map(toMessageView);
  }

  /** Closes the link; unsettled messages come back when their locks expire. */
  async close(): Promise<void> {
    await serviceBusCall('closeReceiver', this.place, () => this.sdk.close());
  }

  private requireCount(max: number, operation: string): void {
    if (!Number.isSafeInteger(max) || max < 1) {
      throw PipelineError.permanent(
        'servicebus.invalid-request',
        `${operation}: max must be a positive integer`,
        {
          ...placeContext(this.place),
          operation,
        },
      );
    }
  }
}

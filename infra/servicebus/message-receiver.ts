import type { ServiceBusClient, ServiceBusReceiverOptions } from '@azure/service-bus';
import { placeOf } from './entity-address';
import type { ReceiveSource } from './entity-address';
import { PeekLockReceiver } from './peek-lock-receiver';

export interface MessageReceiverOptions {
  /** Read the entity's dead-letter queue instead of the entity itself. */
  readonly deadLetter?: boolean;
  /**
   * Renew locks in the background for up to this long after each delivery. Default 0 (off): the pipeline renews
   * explicitly with `renewLock`, so a handler that hangs loses its lock after one lock duration and the message
   * goes to another worker, instead of being held for the SDK's default of five minutes.
   */
  readonly autoRenewLockMs?: number;
}

/**
 * Receives from a queue that has no sessions, a topic subscription, or either one's dead-letter queue, in
 * peek-lock mode. Session entities (`builds`, `publish`) need a `SessionReceiver` instead.
 */
export class MessageReceiver extends PeekLockReceiver {
  constructor(client: ServiceBusClient, source: ReceiveSource, options: MessageReceiverOptions = {}) {
    const sdkOptions: ServiceBusReceiverOptions = {
      receiveMode: 'peekLock',
      maxAutoLockRenewalDurationInMs: options.autoRenewLockMs ?? 0,
      ...(options.deadLetter ? { subQueueType: 'deadLetter' as const } : {}),
    };
    const sdk =
      'subscription' in source
        ? client.createReceiver(source.topic, source.subscription, sdkOptions)
        : client.createReceiver(source.queue, sdkOptions);
    super(sdk, placeOf(source, options.deadLetter ? { deadLetter: true } : {}));
  }
}

import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import type { ServiceBusFunction } from '../../../functions/table';
import { describeError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logger';
import { createInvocationContext } from './invocation-context';
import { serviceBusTriggerMetadata } from './service-bus-metadata';

/**
 * One invocation of a Service Bus function, as the Functions host does it with `autoCompleteMessages`:
 * the handler gets the message body and the trigger metadata; success completes the message, a throw (or a
 * run past the function timeout) abandons it, so the broker redelivers it until the entity's max delivery
 * count sends it to the dead-letter queue.
 */
export async function invokeForMessage(
  fn: ServiceBusFunction,
  receiver: ServiceBusReceiver,
  message: ServiceBusReceivedMessage,
  options: { readonly logger: Logger; readonly functionTimeoutMs: number | null },
): Promise<'completed' | 'abandoned'> {
  const metadata = serviceBusTriggerMetadata(message);
  const logger = options.logger.child({
    messageId: message.messageId,
    deliveryCount: metadata.deliveryCount,
  });
  const context = createInvocationContext(fn.name, logger, metadata);
  try {
    await withTimeout(Promise.resolve(fn.handler(message.body, context)), options.functionTimeoutMs, fn.name);
  } catch (error) {
    logger.warn('function failed; abandoning the message', {
      functionName: fn.name,
      error: describeError(error),
    });
    await settle(() => receiver.abandonMessage(message), logger);
    return 'abandoned';
  }
  await settle(() => receiver.completeMessage(message), logger);
  return 'completed';
}

/** A settlement that fails (lock lost, connection gone) leaves the message to the broker's redelivery. */
async function settle(action: () => Promise<void>, logger: Logger): Promise<void> {
  try {
    await action();
  } catch (error) {
    logger.warn('could not settle the message; the broker will redeliver it', {
      error: describeError(error),
    });
  }
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number | null, name: string): Promise<T> {
  if (timeoutMs === null) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`function '${name}' ran past its timeout of ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

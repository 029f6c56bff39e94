import type { InvocationContext } from '@azure/functions';
import { describeError, PipelineError } from '../shared/errors';
import type { RedeliveryBackoff } from '../shared/messaging/redelivery-backoff';
import { defaultRedeliveryBackoff, redeliveryDelayMs } from '../shared/messaging/redelivery-backoff';
import type { FunctionEntry, ServiceBusFunction } from './table';

export interface RedeliveryOptions {
  readonly backoff?: RedeliveryBackoff;
  /** Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * A Service Bus function whose transient failures (a retryable PipelineError) wait `redeliveryDelayMs` before
 * the error reaches the host, which then abandons the message for the broker to redeliver. Permanent
 * failures (a message that does not parse) go back at once: they are refused on every delivery anyway.
 * Other entries are returned as they are.
 */
export function withRedeliveryBackoff<F extends FunctionEntry>(entry: F, options: RedeliveryOptions = {}): F {
  if (entry.kind !== 'serviceBusQueue' && entry.kind !== 'serviceBusTopic') return entry;
  const backoff = options.backoff ?? defaultRedeliveryBackoff;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const handler = entry.handler as (message: unknown, context: InvocationContext) => Promise<unknown>;
  const wrapped: ServiceBusFunction['handler'] = async (message: unknown, context: InvocationContext) => {
    try {
      return await handler(message, context);
    } catch (error) {
      if (PipelineError.is(error) && error.retryable) {
        const deliveryCount = Number(context.triggerMetadata?.deliveryCount ?? 1);
        const waitMs = redeliveryDelayMs(deliveryCount, backoff);
        context.warn(
          `${entry.name}: transient failure on delivery ${deliveryCount} (${describeError(error)}); ` +
            `the message goes back in ${waitMs} ms`,
        );
        await sleep(waitMs);
      }
      throw error;
    }
  };
  return { ...entry, handler: wrapped };
}

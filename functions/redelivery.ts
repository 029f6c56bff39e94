import type { InvocationContext } from '@azure/functions';
import { PipelineError } from '../shared/errors';
import { silentLogger } from '../shared/logger';
import type { Logger } from '../shared/logger';
import type { RedeliveryBackoff } from '../shared/messaging/redelivery-backoff';
import { defaultRedeliveryBackoff, redeliveryDelayMs } from '../shared/messaging/redelivery-backoff';
import { invocationLogger } from './invocation-logger';
import { messageMetadata } from './message-metadata';
import type { FunctionEntry, ServiceBusFunction } from './table';

export interface RedeliveryOptions {
  /** The logger the wait is reported to (the services' logger, bound here to the invocation and message). */
  readonly logger: () => Promise<Logger>;
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
export function withRedeliveryBackoff<F extends FunctionEntry>(entry: F, options: RedeliveryOptions): F {
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
        // Services that could not start have no logger; the wait is then not logged, and still taken.
        const base = await options.logger().catch(() => silentLogger);
        const logger = invocationLogger(base, context, { ...messageMetadata(context) });
        logger.warn('transient failure; the message goes back after a wait', {
          deliveryCount,
          waitMs,
          error,
        });
        await sleep(waitMs);
      }
      throw error;
    }
  };
  return { ...entry, handler: wrapped };
}

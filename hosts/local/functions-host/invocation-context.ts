import { randomUUID } from 'node:crypto';
import { InvocationContext } from '@azure/functions';
import type { Logger } from '../../../shared/logger';

/**
 * Builds the `InvocationContext` the Functions host would pass, with `context.log` & co. routed to the
 * structured logger bound to the function and invocation.
 */
export function createInvocationContext(
  functionName: string,
  logger: Logger,
  triggerMetadata: Record<string, unknown> = {},
): InvocationContext {
  const invocationId = randomUUID();
  const log = logger.child({ functionName, invocationId });
  return new InvocationContext({
    invocationId,
    functionName,
    triggerMetadata,
    logHandler: (level, ...args) => {
      const message = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
      if (level === 'error' || level === 'critical') log.error(message);
      else if (level === 'warning') log.warn(message);
      else if (level === 'debug' || level === 'trace') log.debug(message);
      else log.info(message);
    },
  });
}

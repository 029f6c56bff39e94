import type { ServiceBusSessionReceiver } from '@azure/service-bus';
import type { ServiceBusPlace } from './entity-address';
import { classifyServiceBusError } from './service-bus-errors';

/**
 * Waiting for "the next session with messages". The SDK long-polls for it for the client's `timeoutMs` and then
 * fails with ServiceTimeout; it ignores abort signals while the link attaches, so a shorter per-call wait is a
 * race against a timer. When the timer wins, the attach is still pending and may yet be granted a session:
 * that receiver is closed at once, which releases the session for the next caller.
 *
 * Resolves to `undefined` when no session turned up in time (the normal idle case of a polling worker);
 * other failures are classified PipelineErrors.
 */
export async function nextSessionWithin(
  accept: () => Promise<ServiceBusSessionReceiver>,
  waitMs: number | undefined,
  place: ServiceBusPlace,
): Promise<ServiceBusSessionReceiver | undefined> {
  const attempt = accept().then(
    (session) => ({ session }),
    (error: unknown) => ({ error }),
  );
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'expired'>((resolve) => {
    if (waitMs !== undefined) timer = setTimeout(() => resolve('expired'), Math.max(0, waitMs));
  });
  const outcome = await Promise.race([attempt, expired]);
  clearTimeout(timer);
  if (outcome === 'expired') {
    void attempt.then(async (late) => {
      if ('session' in late) await late.session.close().catch(() => undefined);
    });
    return undefined;
  }
  if ('session' in outcome) return outcome.session;
  const classified = classifyServiceBusError(outcome.error, 'acceptNextSession', place);
  if (classified.context.errorCode === 'ServiceTimeout') return undefined;
  throw classified;
}

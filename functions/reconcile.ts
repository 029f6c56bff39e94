import type { InvocationContext } from '@azure/functions';
import type { ServicesProvider } from '../shared/services';
import { invocationLogger } from './invocation-logger';
import type { TimerFunction } from './table';

/**
 * `reconcile`: every 5 minutes, find work whose state is stale (a plan item with no build record, a build
 * stuck in a non-final state past its time limit, a succeeded build not yet published) and send it again,
 * so a message lost anywhere delays work but never loses it. Bounded per run; logs what it found, as a
 * warning when it had to send something again or found work it cannot recover.
 */
export function reconcileTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'reconcile',
    schedule: '0 */5 * * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { reconciler, logger } = await services();
      if (!reconciler) return;
      const report = await reconciler.run(new Date());
      const sent = report.planItemsRequeued + report.stuckBuildsRequeued + report.publishesResent;
      const log = invocationLogger(logger, context);
      if (sent > 0 || report.unrecoverable > 0) log.warn('reconcile found stale work', { sent, ...report });
      else log.info('reconcile found nothing stale', { sent, ...report });
    },
  };
}

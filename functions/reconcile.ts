import type { InvocationContext } from '@azure/functions';
import type { ServicesProvider } from '../shared/services';
import type { TimerFunction } from './table';

/**
 * `reconcile`: every 5 minutes, find work whose state is stale (a plan item with no build record, a build
 * stuck in a non-final state past its time limit, a succeeded build not yet published) and send it again,
 * so a message lost anywhere delays work but never loses it. Bounded per run; logs what it found.
 */
export function reconcileTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'reconcile',
    schedule: '0 */5 * * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { reconciler } = await services();
      if (!reconciler) return;
      const report = await reconciler.run(new Date());
      const sent = report.planItemsRequeued + report.stuckBuildsRequeued + report.publishesResent;
      const line = `reconcile: ${sent} sent again ${JSON.stringify(report)}`;
      if (sent > 0 || report.unrecoverable > 0) context.warn(line);
      else context.log(line);
    },
  };
}

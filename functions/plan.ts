import type { InvocationContext } from '@azure/functions';
import { upstreamEventSchema } from '../shared/fedora/upstream-event';
import { queues } from '../shared/messaging/entities';
import type { ServicesProvider } from '../shared/services';
import { invocationLogger } from './invocation-logger';
import { serviceBusFunction } from './service-bus-function';
import type { TimerFunction } from './table';

/**
 * `plan`: each normalized event from `ingest` is kept as pending and a planning pass runs (see
 * `PlanningService`): plan records in Tables, one `builds` message per component, `plan.created`.
 */
export const planFunction = serviceBusFunction(
  { name: 'plan', queue: queues.ingest },
  upstreamEventSchema,
  async (event, { services, logger }) => {
    const result = await services.planning.accept(event);
    if (result.ran) {
      const { planId, planned } = result.record;
      logger.info('event planned', {
        eventId: event.messageId,
        planId,
        builds: planned.length,
        held: result.held,
      });
    } else logger.info('event kept pending', { eventId: event.messageId, why: result.why });
  },
);

/** `planSettled`: every 30 s, plan the pending events whose debounce window has passed. */
export function planSettledTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'planSettled',
    schedule: '*/30 * * * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { planning, logger } = await services();
      const result = await planning.runPass();
      if (result.ran) {
        const { planId, planned } = result.record;
        invocationLogger(logger, context).info('planning pass ran', { planId, builds: planned.length });
      }
    },
  };
}

/** `refreshDependencyIndex`: every 6 hours, rebuild the index from Fedora's repodata (when configured). */
export function refreshDependencyIndexTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'refreshDependencyIndex',
    schedule: '0 15 */6 * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { dependencyRefresher, logger } = await services();
      if (!dependencyRefresher) {
        invocationLogger(logger, context).info(
          'dependency index refresh is off (AZL_DEPS_REPODATA / AZL_DEPS_SOURCE_REPODATA unset)',
        );
        return;
      }
      await dependencyRefresher.refresh('timer');
    },
  };
}

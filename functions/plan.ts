import type { InvocationContext } from '@azure/functions';
import { upstreamEventSchema } from '../shared/fedora/upstream-event';
import { queues } from '../shared/messaging/entities';
import { readMessage } from './message-input';
import type { ServicesProvider } from '../shared/services';
import type { ServiceBusQueueFunction, TimerFunction } from './table';

/**
 * `plan`: each normalized event from `ingest` is kept as pending and a planning pass runs (see
 * `PlanningService`): plan records in Tables, one `builds` message per component, `plan.created`.
 */
export function planFunction(services: ServicesProvider): ServiceBusQueueFunction {
  return {
    kind: 'serviceBusQueue',
    name: 'plan',
    connection: 'ServiceBusConnection',
    queueName: queues.ingest.name,
    isSessionsEnabled: false,
    handler: async (message: unknown, context: InvocationContext): Promise<void> => {
      const app = await services();
      const event = await readMessage(
        upstreamEventSchema,
        message,
        context,
        queues.ingest.name,
        app.failures,
      );
      const { planning } = app;
      const result = await planning.accept(event);
      context.log(
        result.ran
          ? `planned ${event.messageId}: ${result.record.planned.length} builds in ${result.record.planId}, ${result.held} held`
          : `kept ${event.messageId} pending (${result.why})`,
      );
    },
  };
}

/** `planSettled`: every 30 s, plan the pending events whose debounce window has passed. */
export function planSettledTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'planSettled',
    schedule: '*/30 * * * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { planning } = await services();
      const result = await planning.runPass();
      if (result.ran)
        context.log(`planning pass ${result.record.planId}: ${result.record.planned.length} builds`);
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
      const { dependencyRefresher } = await services();
      if (!dependencyRefresher) {
        context.log('dependency index refresh is off (AZL_DEPS_REPODATA / AZL_DEPS_SOURCE_REPODATA unset)');
        return;
      }
      await dependencyRefresher.refresh('timer');
    },
  };
}

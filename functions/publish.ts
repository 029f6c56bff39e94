import type { InvocationContext } from '@azure/functions';
import { queues } from '../shared/messaging/entities';
import { publishRequestSchema } from '../shared/publishing';
import { readMessage } from './message-input';
import type { ServicesProvider } from '../shared/services';
import type { ServiceBusQueueFunction, TimerFunction } from './table';

/**
 * `publish`: one message = one build's packages for one repository (session = repository id, so one
 * repository publishes serially). The publisher records the request, takes every pending request of the
 * repository into one generation and commits it; a lost commit race that persists is transient (retried by
 * redelivery); a redelivered, already published request completes without a new revision.
 */
export function publishFunction(services: ServicesProvider): ServiceBusQueueFunction {
  return {
    kind: 'serviceBusQueue',
    name: 'publish',
    connection: 'ServiceBusConnection',
    queueName: queues.publish.name,
    isSessionsEnabled: true,
    handler: async (message: unknown, context: InvocationContext): Promise<void> => {
      const app = await services();
      const request = await readMessage(
        publishRequestSchema,
        message,
        context,
        queues.publish.name,
        app.failures,
      );
      const { publisher } = app;
      const outcome = await publisher.publish(request);
      context.log(
        outcome.changed
          ? `published ${outcome.repository} revision ${outcome.revision}: +${outcome.added.length} -${outcome.removed.length} (${outcome.requests.length} requests)`
          : `${request.repository}:${request.fingerprint}: already in ${outcome.repository} revision ${outcome.revision}`,
      );
    },
  };
}

/** `sweepRepositories`: every 5 minutes, delete retired repository files whose grace period has passed. */
export function sweepRepositoriesTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'sweepRepositories',
    schedule: '0 */5 * * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { publisher } = await services();
      const deleted = await publisher.sweepAll();
      if (deleted > 0) context.log(`deleted ${deleted} retired repository files`);
    },
  };
}

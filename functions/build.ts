import type { InvocationContext } from '@azure/functions';
import { buildRequestSchema } from '../shared/build';
import { PipelineError } from '../shared/errors';
import { queues } from '../shared/messaging/entities';
import { readMessage } from './message-input';
import type { ServicesProvider } from '../shared/services';
import type { ServiceBusQueueFunction } from './table';

/**
 * `build`: one rebuild job per message from `builds` (session = component, so one build of a component at
 * a time, in order). The worker records every outcome; this function only parses and hands over.
 */
export function buildFunction(services: ServicesProvider): ServiceBusQueueFunction {
  return {
    kind: 'serviceBusQueue',
    name: 'build',
    connection: 'ServiceBusConnection',
    queueName: queues.builds.name,
    isSessionsEnabled: true,
    handler: async (message: unknown, context: InvocationContext): Promise<void> => {
      const app = await services();
      const request = await readMessage(
        buildRequestSchema,
        message,
        context,
        queues.builds.name,
        app.failures,
      );
      const { buildWorker } = app;
      if (!buildWorker) {
        throw PipelineError.transient(
          'build.not-configured',
          'no build worker: set AZL_DISTRO_DIR (and AZL_BUILDER=local) to build here',
          { component: request.component },
        );
      }
      const result = await buildWorker.handle(request);
      context.log(
        `build ${request.component} (${request.fingerprint.slice(7, 23)}, try ${request.attempt}): ${
          result.outcome === 'finished' ? result.record.state : result.outcome
        }`,
      );
    },
  };
}

import type { InvocationContext } from '@azure/functions';
import { buildResultSchema } from '../shared/build';
import { PipelineError } from '../shared/errors';
import { queues } from '../shared/messaging/entities';
import { readMessage } from './message-input';
import type { ServicesProvider } from '../shared/services';
import type { ServiceBusQueueFunction } from './table';

/**
 * `buildResults`: outcomes reported by cloud build executions (`azl-rebuilder worker build`). The worker
 * records what the execution could not (a failure before its own records), and retries it when it may help.
 */
export function buildResultsFunction(services: ServicesProvider): ServiceBusQueueFunction {
  return {
    kind: 'serviceBusQueue',
    name: 'buildResults',
    connection: 'ServiceBusConnection',
    queueName: queues.buildResults.name,
    isSessionsEnabled: false,
    handler: async (message: unknown, context: InvocationContext): Promise<void> => {
      const app = await services();
      const result = await readMessage(
        buildResultSchema,
        message,
        context,
        queues.buildResults.name,
        app.failures,
      );
      if (!app.buildWorker) {
        throw PipelineError.transient('build.not-configured', 'no build worker: set AZL_DISTRO_DIR', {
          component: result.component,
        });
      }
      const handled = await app.buildWorker.acceptResult(result);
      context.log(
        `build result ${result.component} (${result.executionName}, ${result.state}): ${handled.outcome}`,
      );
    },
  };
}

import { buildResultSchema } from '../shared/build';
import { PipelineError } from '../shared/errors';
import { queues } from '../shared/messaging/entities';
import { serviceBusFunction } from './service-bus-function';

/**
 * `buildResults`: outcomes reported by cloud build executions (`azl-rebuilder worker build`). The worker
 * records what the execution could not (a failure before its own records), and retries it when it may help.
 */
export const buildResultsFunction = serviceBusFunction(
  { name: 'buildResults', queue: queues.buildResults },
  buildResultSchema,
  async (result, { services, logger }) => {
    const { component, fingerprint, executionName, state } = result;
    if (!services.buildWorker) {
      throw PipelineError.transient('build.not-configured', 'no build worker: set AZL_DISTRO_DIR', {
        component,
      });
    }
    const handled = await services.buildWorker.acceptResult(result);
    logger.info('build result handled', {
      component,
      fingerprint,
      executionName,
      state,
      outcome: handled.outcome,
    });
  },
);

import { buildRequestSchema } from '../shared/build';
import { PipelineError } from '../shared/errors';
import { queues } from '../shared/messaging/entities';
import { serviceBusFunction } from './service-bus-function';

/**
 * `build`: one rebuild job per message from `builds` (session = component, so one build of a component at
 * a time, in order). The worker records every outcome; this function only parses and hands over.
 */
export const buildFunction = serviceBusFunction(
  { name: 'build', queue: queues.builds },
  buildRequestSchema,
  async (request, { services, logger }) => {
    const { component, fingerprint, attempt } = request;
    if (!services.buildWorker) {
      throw PipelineError.transient(
        'build.not-configured',
        'no build worker: set AZL_DISTRO_DIR (and AZL_BUILDER=local) to build here',
        { component },
      );
    }
    const handled = await services.buildWorker.handle(request);
    const outcome = handled.outcome === 'finished' ? handled.record.state : handled.outcome;
    logger.info('build handled', { component, fingerprint, attempt, outcome });
  },
);

import type { HttpResponseInit, InvocationContext } from '@azure/functions';
import { invocationLogger } from './invocation-logger';
import { problem, unavailable } from './problem';
import type { ServicesProvider } from '../shared/services';
import type { HttpFunction, TimerFunction } from './table';

/**
 * Datagrepper catch-up: every 5 minutes, read Fedora's message history from the durable checkpoint and hand
 * what the bus may have dropped to ingest (duplicates are recognised there). A failed run leaves the
 * checkpoint where it was; the next run reads the same window again.
 */
export function fedoraCatchUpTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'fedoraCatchUp',
    schedule: '0 */5 * * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { catchUp, logger: base } = await services();
      const logger = invocationLogger(base, context);
      if (!catchUp) {
        logger.info('datagrepper catch-up is switched off (AZL_FEDORA_CATCH_UP=off)');
        return;
      }
      const { ended, messages, checkpointAfter } = await catchUp();
      logger.info('datagrepper catch-up ran', { ended, messages, checkpointAfter });
    },
  };
}

/** `POST /api/fedora/catch-up`: run a catch-up now and answer with its result. */
export function fedoraCatchUpNow(services: ServicesProvider): HttpFunction {
  return {
    kind: 'http',
    name: 'fedoraCatchUpNow',
    route: 'fedora/catch-up',
    methods: ['POST'],
    authLevel: 'function',
    handler: async (_request, context: InvocationContext): Promise<HttpResponseInit> => {
      const { catchUp, logger } = await services();
      if (!catchUp) {
        return problem(
          409,
          'catch-up.disabled',
          'the datagrepper catch-up is switched off (AZL_FEDORA_CATCH_UP=off)',
        );
      }
      try {
        return { status: 200, jsonBody: await catchUp() };
      } catch (error) {
        invocationLogger(logger, context).error('catch-up failed', { error });
        const retryLater = unavailable(error, 60);
        if (retryLater) return retryLater;
        throw error;
      }
    },
  };
}

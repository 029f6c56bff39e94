import type { InvocationContext } from '@azure/functions';
import { queues } from '../shared/messaging/entities';
import { isPublishFlushId, publishRequestSchema } from '../shared/publishing';
import type { ServicesProvider } from '../shared/services';
import { invocationLogger } from './invocation-logger';
import { serviceBusFunction } from './service-bus-function';
import type { TimerFunction } from './table';

/**
 * `publish`: one message = one build's packages for one repository (session = repository id, so one
 * repository publishes serially). The publisher records the request, takes every pending request of the
 * repository into one generation and commits it; a lost commit race that persists is transient (retried by
 * redelivery); a redelivered, already published request completes without a new revision. Within the
 * coalescing window after the last revision (`AZL_REPO_COALESCE_SECONDS`) the request stays pending and one
 * scheduled flush message (id `flush:<repository>:<time>`) brings the repository's publish back at its end.
 * A request with a package that cannot be published (gone, another package, not an RPM) is set aside with its
 * reason and the others are published; its own message then ends in the dead-letter queue with that reason.
 */
export const publishFunction = serviceBusFunction(
  { name: 'publish', queue: queues.publish },
  publishRequestSchema,
  async (request, { services, logger, metadata }) => {
    const deferrable = !isPublishFlushId(metadata.messageId);
    const outcome = await services.publisher.publish(request, { deferrable });
    const { repository, revision } = outcome;
    for (const { key, error } of outcome.setAside ?? []) {
      // Kept in `publishqueue` (partition `<repository>:rejected`) with the request and this reason.
      logger.error('publish request set aside', { repository, request: key, error });
    }
    if (outcome.deferredUntil) {
      logger.info('publish deferred to coalesce', { repository, revision, until: outcome.deferredUntil });
    } else if (outcome.changed) {
      logger.info('repository published', {
        repository,
        revision,
        added: outcome.added.length,
        removed: outcome.removed.length,
        requests: outcome.requests.length,
      });
    } else {
      logger.info('request already published', { repository, revision, fingerprint: request.fingerprint });
    }
  },
);

/**
 * `sweepRepositories`: every 5 minutes, delete retired repository files whose grace period has passed, and
 * the orphans of publishes that never committed (`RepositoryPublisher.sweep`).
 */
export function sweepRepositoriesTimer(services: ServicesProvider): TimerFunction {
  return {
    kind: 'timer',
    name: 'sweepRepositories',
    schedule: '0 */5 * * * *',
    runOnStartup: false,
    handler: async (_timer, context: InvocationContext): Promise<void> => {
      const { publisher, logger } = await services();
      const deleted = await publisher.sweepAll();
      if (deleted > 0)
        invocationLogger(logger, context).info('retired repository files deleted', { deleted });
    },
  };
}

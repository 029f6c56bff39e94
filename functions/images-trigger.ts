import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { httpStatusOf } from '../shared/error-codes';
import { describeError, PipelineError } from '../shared/errors';
import type { EventData } from '../shared/events';
import { cloudEventTypeOf, parseCloudEvent } from '../shared/events/cloud-event';
import { imageBuildMessageSchema } from '../shared/images/image-trigger';
import type { ImageBuildHandled } from '../shared/images/image-trigger-service';
import type { Logger } from '../shared/logger';
import { queues, topics } from '../shared/messaging/entities';
import type { Services, ServicesProvider } from '../shared/services';
import { invocationLogger } from './invocation-logger';
import { problem, unavailable } from './problem';
import { serviceBusFunction } from './service-bus-function';
import type { HttpFunction } from './table';
import type { imageBuildQueuedSchema } from './image-build-schema';
import type { BodyOf } from '../shared/schema-matches';

const REPO_PUBLISHED = cloudEventTypeOf('repo.published');

/**
 * An `events` message as the `images` subscription needs it: a `repo.published` checked against the
 * catalogue (one that does not fit is a `message.invalid`), any other type only by its name. The subscription's
 * rule lets in `repo.published` only (`shared/messaging/entities.ts`); other types are still accepted, so a
 * namespace whose rule is missing or wider costs a completed message, not a failure.
 */
const imagesSubscriptionMessage = z.unknown().transform((body, context) => {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  if (type !== REPO_PUBLISHED) return { kind: 'other' as const, type: String(type) };
  try {
    const event = parseCloudEvent(body);
    const data = event.data as EventData<'repo.published'>;
    return {
      kind: 'repo.published' as const,
      id: event.id,
      repository: data.repository,
      revision: data.revision,
    };
  } catch (error) {
    context.issues.push({ code: 'custom', input: body, message: (error as Error).message });
    return z.NEVER;
  }
});

/**
 * `imageTrigger` (the `images` subscription of `events`): a `repo.published` records the change for every
 * image using the repository and schedules its quiet check on `image-builds`; every other event, and every
 * event where no image trigger is configured, is completed untouched.
 */
export const imagesSubscriptionFunction = serviceBusFunction(
  { name: 'imageTrigger', topic: topics.events, subscription: 'images' },
  imagesSubscriptionMessage,
  async (message, { services, logger }) => {
    if (message.kind !== 'repo.published' || !services.imageTrigger) return;
    const { repository, revision } = message;
    const checks = await services.imageTrigger.repositoryPublished({ repository, revision });
    if (checks.length === 0) return;
    logger.info('image builds scheduled after a repository moved', {
      eventId: message.id,
      repository,
      revision,
      images: checks.map((check) => check.sessionId).join(','),
      notBefore: checks[0]?.notBefore.toISOString(),
    });
  },
);

/**
 * `imageBuild` (the `image-builds` queue, a session per image, so one build of an image at a time): a quiet
 * check that finds the repositories still moving schedules the next one; a due check, or a build asked for,
 * goes to `imageBuilds.requestBuild`, whose `unchanged` (same fingerprint) builds nothing and is logged as such.
 * Without an image trigger or an image builder the message is completed with a log line saying so.
 */
export const imageBuildsQueueFunction = serviceBusFunction(
  { name: 'imageBuild', queue: queues.imageBuilds },
  imageBuildMessageSchema,
  async (message, { services, logger }) => {
    const fields = { image: message.image, trigger: message.trigger };
    if (!services.imageTrigger) {
      logger.info('image build not considered: image triggers are not configured', fields);
      return;
    }
    const handled = await services.imageTrigger.handle(message, services.imageBuilds);
    logHandled(logger, fields, handled);
  },
);

function logHandled(logger: Logger, fields: Record<string, string>, handled: ImageBuildHandled): void {
  switch (handled.kind) {
    case 'waiting':
      logger.info('image repositories not quiet yet; checking again', {
        ...fields,
        until: handled.until.toISOString(),
        messageId: handled.messageId,
      });
      return;
    case 'already-requested':
      logger.info('image build already requested for the newest change', {
        ...fields,
        changeAt: handled.changeAt,
      });
      return;
    case 'nothing-changed':
      logger.info('image build not requested: no repository change recorded', fields);
      return;
    case 'unknown-image':
      logger.warn('image build not requested: no such image in the distro tree', fields);
      return;
    case 'not-configured':
      logger.info('image build due, but image builds are not configured', {
        ...fields,
        reason: handled.request.reason,
      });
      return;
    case 'requested': {
      const { outcome, request } = handled;
      if (outcome.kind === 'queued')
        logger.info('image build queued', {
          ...fields,
          reason: request.reason,
          buildId: outcome.buildId,
          fingerprint: outcome.fingerprint,
        });
      else if (outcome.kind === 'published')
        logger.info('image built and published', {
          ...fields,
          reason: request.reason,
          buildId: outcome.buildId,
          fingerprint: outcome.fingerprint,
          ...(outcome.url === undefined ? {} : { url: outcome.url }),
        });
      else if (outcome.kind === 'failed')
        logger.warn('image build failed', {
          ...fields,
          reason: request.reason,
          buildId: outcome.buildId,
          code: outcome.error.code,
          error: outcome.error.message,
        });
      else if (outcome.kind === 'unchanged')
        logger.info('image unchanged: same fingerprint, nothing built', {
          ...fields,
          reason: request.reason,
          fingerprint: outcome.fingerprint,
        });
      else logger.warn('image build not queued: the builder knows no such image', fields);
      return;
    }
  }
}

/**
 * `POST /api/images/{name}/builds` (function key): queues a build of the image now, on its session of
 * `image-builds`, so it waits for a build of the same image in progress. 202 with what was queued (the
 * builder decides whether the fingerprint changed, and records `unchanged` when not); 404
 * `image.unknown-image` for a name the distro tree does not have; 503 `image.builds-not-configured` when this
 * instance has no image trigger or no image builder.
 */
export function requestImageBuildFunction(services: ServicesProvider): HttpFunction {
  return {
    kind: 'http',
    name: 'requestImageBuild',
    route: 'images/{name}/builds',
    methods: ['POST'],
    authLevel: 'function',
    handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
      let app: Services;
      try {
        app = await services();
      } catch (error) {
        return problem(
          503,
          'image.builds-not-configured',
          `the services could not start: ${describeError(error)}`,
        );
      }
      const image = request.params['name'] ?? '';
      const trigger = app.imageTrigger;
      if (!trigger || !app.imageBuilds)
        return problem(
          503,
          'image.builds-not-configured',
          trigger
            ? 'this instance has no image builder'
            : 'this instance has no image triggers (no distro tree)',
        );
      try {
        const queued = await trigger.requestNow(image);
        invocationLogger(app.logger, context).info('image build asked for', {
          image,
          messageId: queued.messageId,
        });
        return {
          status: 202,
          jsonBody: {
            image,
            queued: { messageId: queued.messageId, trigger: queued.body.trigger, at: queued.body.at },
          } satisfies BodyOf<typeof imageBuildQueuedSchema>,
        };
      } catch (error) {
        if (PipelineError.is(error) && httpStatusOf(error.code) === 404)
          return problem(404, error.code, error.message);
        invocationLogger(app.logger, context).error('image build request failed', { image, error });
        const retryLater = unavailable(error, 10);
        if (retryLater) return retryLater;
        throw error;
      }
    },
  };
}

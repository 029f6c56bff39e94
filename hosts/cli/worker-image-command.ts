import { describeError, PipelineError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { loadSettings } from '../../shared/settings/load-settings';
import { composeImageBuilds, imageWorkRoot } from '../../infra/images/compose-image-builds';
import { readImageJobRequest } from '../../infra/images/image-job-contract';
import { kiwiImageBuilder } from '../../infra/images/kiwi-image-builder';
import { closeServiceBusClient, createServiceBusClient } from '../../infra/servicebus';
import { TopicEventPublisher } from '../../infra/servicebus/topic-event-publisher';
import { BlobStore, TableStore } from '../../infra/storage';
import { publishingBlobTarget, storageTargets } from '../../infra/storage/storage-targets';

/**
 * `azl-rebuilder worker image --image <name> --version <version>`: what a cloud image build execution runs
 * (infra/images/image-job-contract.ts). It reads its request from `AZL_IMAGE_JOB_REQUEST`, builds the image
 * with kiwi-ng from the request's repositories, and publishes it as the function app would have (page blob,
 * manifest and SBOM, the build record `uploading → published`, `image.published`, the gallery with
 * `AZL_GALLERY_ID`), continuing the version the function app recorded. Exit 0 once published; 4 when the
 * build failed (recorded, `image.failed` sent); 1 when it could not run (or failed in a way worth trying
 * again: the record says `failed`, retryable, and the next request continues it).
 */
export async function runWorkerImage(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<number> {
  const closers: (() => Promise<void>)[] = [];
  try {
    const request = readImageJobRequest(args, env);
    const settings = loadSettings({ ...env, AZL_IMAGE_BUILDER: 'local', AZL_FEDORA_CATCH_UP: 'off' });
    const { blobs, tables } = storageTargets(settings.storage);
    const publishingTarget = publishingBlobTarget(settings.publishingStorage) ?? blobs;
    const serviceBus = createServiceBusClient(settings.serviceBus);
    closers.push(() => closeServiceBusClient(serviceBus));
    const events = new TopicEventPublisher(serviceBus, settings.instanceName);
    closers.unshift(() => events.close());
    const builds = composeImageBuilds(
      settings,
      {
        tables: new TableStore(tables),
        publishingBlobs: new BlobStore(publishingTarget),
        publishingTarget,
        events,
      },
      {
        builder: kiwiImageBuilder({
          workRoot: imageWorkRoot(settings),
          onOutput: (chunk) => process.stderr.write(chunk),
        }),
        repositories: { forArch: () => Promise.resolve(request.repositories.map((r) => ({ ...r }))) },
      },
    );
    if (!builds)
      throw PipelineError.permanent(
        'worker.not-configured',
        'set AZL_DISTRO_DIR to the distro tree to build from',
      );
    const outcome = await builds.continueBuild(request.image, request.version);
    const fields = { image: request.image, version: request.version };
    if (outcome.kind === 'published') {
      logger.info(`image ${request.image} ${request.version}: published`, {
        ...fields,
        url: outcome.url ?? '',
      });
      return 0;
    }
    if (outcome.kind === 'failed') {
      logger.error(`image ${request.image} ${request.version}: failed: ${outcome.error.message}`, {
        ...fields,
        code: outcome.error.code,
      });
      return 4;
    }
    logger.error(`image ${request.image} ${request.version}: ${outcome.kind}`, fields);
    return 1;
  } catch (error) {
    logger.error(
      `worker image failed: ${describeError(error)}`,
      PipelineError.is(error) ? { code: error.code } : {},
    );
    return 1;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageBuildService } from '../../shared/images/image-build-service';
import type { ImageBuilder, ImageRepositorySources } from '../../shared/images/image-build-service';
import { publishedImageRepositories } from '../../shared/images/published-repositories';
import type { PipelineEventPublisher } from '../../shared/messaging/pipeline-event';
import type {
  ContainerAppsImageBuilderSettings,
  GallerySettings,
  ImageSettings,
  PlannerSettings,
} from '../../shared/settings/load-settings';
import type { StatusReaders } from '../../shared/status/ports';
import type { BlobStore, InvalidRowHandler, StorageTarget, TableStore } from '../storage';
import { executionEnv } from '../build-worker/compose-building';
import { cloudImageBuilder } from './cloud-image-builder';
import { createComputeGallery } from './compute-gallery';
import { createContainerAppsImageDispatcher } from './container-apps-image-dispatcher';
import { galleryRegistration } from './gallery-registration';
import { composeImagePublisher } from './image-publisher-ports';
import { TableImageBuilds } from './table-image-builds';
import { localImageBuildRunner } from './local-image-build-runner';
import { treeBuildableImages } from './tree-buildable-images';

/** The settings image builds read (the tree, the image settings, where to build, the gallery). */
export interface ImageBuildSettings {
  readonly planner?: PlannerSettings;
  readonly images: ImageSettings;
  readonly imageBuilder?: ContainerAppsImageBuilderSettings;
  readonly gallery?: GallerySettings;
}

export interface ImageBuildStores {
  readonly tables: TableStore;
  /** The publishing account (the anonymous `images` container beside `repos`) and where it points. */
  readonly publishingBlobs: BlobStore;
  readonly publishingTarget: StorageTarget;
  readonly events: PipelineEventPublisher;
  /**
   * The status API's repository listing: the revisions and base URLs builds read (absent only with
   * `overrides.repositories`).
   */
  readonly repositories?: StatusReaders['repositories'];
  readonly skipInvalidRow?: InvalidRowHandler;
}

/**
 * The image builds of this instance (`Services.imageBuilds`), absent without a distro tree or with
 * `AZL_IMAGE_BUILDER=off`. Where images are
 * built follows `AZL_IMAGE_BUILDER`: here (`local`, the default; in a folder under `AZL_IMAGE_WORK_DIR`) or as
 * a Container Apps Job execution each. With `AZL_GALLERY_ID`, every published image is registered in the
 * gallery before it is announced. The publisher (which makes sure of the `images` container) is made on the
 * first build, so an instance that builds no image touches nothing.
 */
export function composeImageBuilds(
  settings: ImageBuildSettings,
  stores: ImageBuildStores,
  overrides: ImageBuildOverrides = {},
): ImageBuilds | undefined {
  const distroDir = settings.planner?.distroDir;
  if (distroDir === undefined || !settings.images.builds) return undefined;
  let service: Promise<ImageBuildService> | undefined;
  const make = async (): Promise<ImageBuildService> => {
    const publisher = await composeImagePublisher({
      tables: stores.tables,
      blobs: stores.publishingBlobs,
      blobTarget: stores.publishingTarget,
      events: stores.events,
      ...(stores.skipInvalidRow ? { skipInvalidRow: stores.skipInvalidRow } : {}),
    });
    const { gallery } = settings;
    return new ImageBuildService({
      images: treeBuildableImages(distroDir, settings.images.arch),
      repositories: repositorySources(stores, overrides),
      records: new TableImageBuilds(stores.tables, stores.skipInvalidRow),
      builder: overrides.builder ?? imageBuilderFor(settings),
      publisher,
      events: stores.events,
      ...(gallery
        ? { register: galleryRegistration(createComputeGallery(gallery), gallery.storageAccountId) }
        : {}),
      now: () => new Date(),
    });
  };
  const ready = (): Promise<ImageBuildService> =>
    (service ??= make().catch((error: unknown) => {
      service = undefined;
      throw error;
    }));
  return {
    requestBuild: async (request) => (await ready()).requestBuild(request),
    continueBuild: async (image, version) => (await ready()).continueBuild(image, version),
  };
}

/** What `worker image` puts in place of the instance's own: its kiwi-ng builder and its request's repositories. */
export interface ImageBuildOverrides {
  readonly builder?: ImageBuilder;
  readonly repositories?: ImageRepositorySources;
}

/** The image builds of `ImageBuildService`, as the trigger and `worker image` use them. */
export type ImageBuilds = Pick<ImageBuildService, 'requestBuild' | 'continueBuild'>;

/** Where this instance builds: Container Apps Job executions, or here in `AZL_IMAGE_WORK_DIR`. */
function imageBuilderFor(settings: ImageBuildSettings): ImageBuilder {
  if (settings.imageBuilder)
    return cloudImageBuilder(
      createContainerAppsImageDispatcher(settings.imageBuilder, { env: imageExecutionEnv(process.env) }),
    );
  return localImageBuildRunner(imageWorkRoot(settings));
}

/** `AZL_IMAGE_WORK_DIR`, else a folder in the system's temporary folder. */
export function imageWorkRoot(settings: { readonly images: ImageSettings }): string {
  return settings.images.workDir ?? join(tmpdir(), 'azl-rebuilder-images');
}

function repositorySources(stores: ImageBuildStores, overrides: ImageBuildOverrides): ImageRepositorySources {
  if (overrides.repositories) return overrides.repositories;
  if (stores.repositories) return publishedImageRepositories(stores.repositories);
  throw new Error('composeImageBuilds: no repository listing and no repositories given');
}

/** The gallery's and the images' settings, which the execution's `worker image` needs as the app has them. */
const IMAGE_FORWARDED = [
  'AZL_GALLERY_ID',
  'AZL_GALLERY_STORAGE_ACCOUNT_ID',
  'AZL_GALLERY_EOL_DAYS',
  'AZL_GALLERY_PUBLISHER',
  'AZL_GALLERY_OFFER',
  'AZL_ARM_ENDPOINT',
  'AZL_IMAGE_ARCH',
];

/**
 * What an image build execution is given besides its request: the package builder's forwarded settings
 * (storage and Service Bus by identity, the identity's client id, the log level) and the image and gallery
 * settings; the distro tree is in the image builder's container (`AZL_DISTRO_DIR`, its Dockerfile).
 */
export function imageExecutionEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const forwarded = executionEnv(env);
  for (const name of IMAGE_FORWARDED) {
    const value = env[name];
    if (value) forwarded[name] = value;
  }
  return forwarded;
}

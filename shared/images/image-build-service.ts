import { describeError, PipelineError } from '../errors';
import type { PipelineEventPublisher } from '../messaging/pipeline-event';
import { imageFingerprint } from './fingerprint';
import { latestImageBuild, moveImageBuild, newImageBuild, nextImageVersion } from './image-build';
import type { ImageBuildError, ImageBuildRecord } from './image-build';
import type { ImageBuildRecords } from './image-build-records';
import { failedEvent } from './image-publisher';
import type { PublishImageOutcome, PublishImageRequest } from './image-publisher';
import type { ImageBuildRequest, ImageBuildRequestOutcome, ImageBuildRequests } from './image-trigger';
import type { ImageManifest } from './manifest';
import type { ImageDefinition } from './resolve-definition';

/** An image of the distro tree, ready to build: its resolved definition and what the manifest names it by. */
export interface BuildableImage {
  readonly name: string;
  readonly definition: ImageDefinition;
  /** The kiwi description: its path in the tree and the SHA-256 of its bytes. */
  readonly description: { readonly file: string; readonly sha256: string };
  /** Where the kiwi description is read from (kiwi-ng's `--description` is its folder). */
  readonly descriptionPath: string;
  /** `allow-missing` of the tree's image entry: build without what no repository has, and say so. */
  readonly allowMissing: boolean;
}

/** The port to the distro tree's images; `undefined`: the tree has no image of that name (any more). */
export interface BuildableImages {
  get(image: string): Promise<BuildableImage | undefined>;
}

/** A repository the pipeline has published, as an image build reads it. */
export interface PublishedRepository {
  /** `<channel>/<arch>`. */
  readonly repository: string;
  readonly revision: number;
  /** Where `dnf` reads it (ends with `/`). */
  readonly baseUrl: string;
}

/** The port to the pipeline's published repositories an image of `arch` is built from. */
export interface ImageRepositorySources {
  forArch(arch: string): Promise<PublishedRepository[]>;
}

/** One build to make: the image, the version it will be published as, and what it is built from. */
export interface ImageBuildJob {
  readonly image: BuildableImage;
  readonly version: string;
  /** The fingerprint of the definition and `repositories`' revisions. */
  readonly fingerprint: string;
  readonly repositories: readonly PublishedRepository[];
}

/**
 * What a builder made of a job: `built`, a fixed VHD with its manifest on this machine for the service to
 * publish (`dispose` removes the files once published or failed); `dispatched`, the build runs elsewhere (a
 * Container Apps Job execution) and its worker publishes it, moving the record on itself.
 */
export type ImageBuilderOutcome =
  | {
      readonly kind: 'built';
      readonly vhdFile: string;
      readonly manifest: ImageManifest;
      readonly sbom?: string;
      dispose(): Promise<void>;
    }
  | { readonly kind: 'dispatched'; readonly detail: string };

/** The port to an image builder (local: `dnf --installroot`, mkfs, our disk writer; cloud: kiwi-ng in a job). */
export interface ImageBuilder {
  readonly kind: string;
  build(job: ImageBuildJob): Promise<ImageBuilderOutcome>;
}

/** The port to the publisher (`ImagePublisher`): upload, manifest and SBOM, record and `image.published`. */
export interface ImageBuildPublisher {
  publish(request: PublishImageRequest): Promise<PublishImageOutcome>;
}

export interface ImageBuildServicePorts {
  readonly images: BuildableImages;
  readonly repositories: ImageRepositorySources;
  readonly records: ImageBuildRecords;
  readonly builder: ImageBuilder;
  readonly publisher: ImageBuildPublisher;
  /** For `image.failed` when the build itself fails (the publisher sends its own). */
  readonly events: PipelineEventPublisher;
  /**
   * Registers a published VHD elsewhere before its record says `published` (the Azure Compute Gallery when
   * `AZL_GALLERY_ID` is set); a failure fails the build with its code, and a retry registers again.
   */
  readonly register?: (image: BuildableImage, version: string, blobUrl: string) => Promise<void>;
  readonly now: () => Date;
}

/**
 * The image builds the trigger asks for (`Services.imageBuilds`): decides whether a build would change
 * anything, and if so makes it, one image at a time (the `image-builds` session is the image).
 *
 * 1. The image's definition from the tree and the published repositories of its architecture, with their
 *    current revisions, give the fingerprint (`imageFingerprint`).
 * 2. A build of that fingerprint already on its way (`queued`, `building`, `uploading`, or a retryable
 *    `failed`: a crash or a redelivery) is continued under its version; a newest published version with that
 *    fingerprint means nothing would change: an `unchanged` record says so (once) and nothing is built.
 * 3. Otherwise a new version (`nextImageVersion`) is recorded `queued`, then `building`, and handed to the
 *    builder. A local build is published here (`uploading → published`, with `register` before the end); a
 *    dispatched one is left `building` for its worker.
 *
 * Failures: the record moves to `failed` with the error (and `image.failed` is sent). A retryable one is
 * thrown again, so the `image-builds` message is delivered again and the next attempt continues the same
 * version (dead-lettered with the reason once deliveries run out); a permanent one is answered as `failed`
 * and the message completes: the same definition and revisions would fail the same way.
 */
export class ImageBuildService implements ImageBuildRequests {
  constructor(private readonly ports: ImageBuildServicePorts) {}

  async requestBuild(request: ImageBuildRequest): Promise<ImageBuildRequestOutcome> {
    const image = await this.ports.images.get(request.image);
    if (image === undefined) return { kind: 'unknown-image', image: request.image };
    const repositories = await this.ports.repositories.forArch(image.definition.arch);
    const fingerprint = imageFingerprint(image.definition, revisionsOf(repositories));
    const records = await this.ports.records.versions(image.name);

    let record = records.find((r) => r.fingerprint === fingerprint && continues(r));
    if (record === undefined) {
      const published = latestImageBuild(records, 'published');
      if (published?.fingerprint === fingerprint) return this.unchanged(records, published, fingerprint);
      record = newImageBuild({
        image: image.name,
        version: nextImageVersion(
          records.map((r) => r.version),
          this.ports.now(),
        ),
        fingerprint,
        at: this.at(),
        detail: request.reason,
        repositories: revisionsOf(repositories),
      });
      await this.ports.records.put(record);
    }
    if (repositories.length === 0) {
      const error = PipelineError.permanent(
        'image.no-repositories',
        `image '${image.name}': no repository of ${image.definition.arch} is published yet`,
        { image: image.name, arch: image.definition.arch },
      );
      return this.failed(record, error);
    }
    return this.build(image, record, repositories);
  }

  /**
   * Builds the version the record `image`/`version` stands for, where the service left it `building` for a
   * dispatched worker (`azl-rebuilder worker image`: the ports' builder is then the one that runs here). A
   * version already published answers `published` again, so an execution run twice does nothing twice.
   */
  async continueBuild(imageName: string, version: string): Promise<ImageBuildRequestOutcome> {
    const image = await this.ports.images.get(imageName);
    if (image === undefined) return { kind: 'unknown-image', image: imageName };
    const record = await this.ports.records.get(imageName, version);
    if (record === undefined)
      throw PipelineError.permanent(
        'image.build-not-found',
        `no build record of image ${imageName} ${version} to continue`,
        { image: imageName, version },
      );
    if (record.state === 'published') return publishedOutcome(record);
    const repositories = await this.ports.repositories.forArch(image.definition.arch);
    return this.build(image, record, repositories);
  }

  private async build(
    image: BuildableImage,
    queued: ImageBuildRecord,
    repositories: readonly PublishedRepository[],
  ): Promise<ImageBuildRequestOutcome> {
    let record = queued;
    const { version } = record;
    try {
      if (record.state !== 'building') {
        record = moveImageBuild(record, 'building', this.at(), `${this.ports.builder.kind} builder`);
        await this.ports.records.put(record);
      }
      const built = await this.ports.builder.build({
        image,
        version,
        fingerprint: record.fingerprint,
        repositories,
      });
      // Dispatched: the worker moves the record on (`uploading`, then `published` or `failed`).
      if (built.kind === 'dispatched') return queuedOutcome(record);
      try {
        record = await this.adoptManifest(record, built.manifest);
        const register = this.ports.register;
        const { record: published } = await this.ports.publisher.publish({
          image: image.name,
          version,
          vhdFile: built.vhdFile,
          manifest: built.manifest,
          ...(built.sbom === undefined ? {} : { sbom: built.sbom }),
          ...(register ? { register: (blobUrl: string) => register(image, version, blobUrl) } : {}),
        });
        return publishedOutcome(published);
      } finally {
        await built.dispose();
      }
    } catch (error) {
      const latest = (await this.ports.records.get(image.name, version)) ?? record;
      return this.failed(latest, error);
    }
  }

  /**
   * The manifest says what the build actually read: a repository that moved between the fingerprint and
   * the install makes another fingerprint, and the record takes it (the publisher checks they agree).
   */
  private async adoptManifest(record: ImageBuildRecord, manifest: ImageManifest): Promise<ImageBuildRecord> {
    if (manifest.fingerprint === record.fingerprint) return record;
    const adopted: ImageBuildRecord = {
      ...record,
      fingerprint: manifest.fingerprint,
      repositories: Object.fromEntries(manifest.repositories.map((r) => [r.repository, r.revision])),
    };
    await this.ports.records.put(adopted);
    return adopted;
  }

  /** Nothing would change: one `unchanged` record per fingerprint says so, pointing at the published one. */
  private async unchanged(
    records: readonly ImageBuildRecord[],
    published: ImageBuildRecord,
    fingerprint: string,
  ): Promise<ImageBuildRequestOutcome> {
    const said = records.find((r) => r.state === 'unchanged' && r.fingerprint === fingerprint);
    if (said === undefined) {
      const queued = newImageBuild({
        image: published.image,
        version: nextImageVersion(
          records.map((r) => r.version),
          this.ports.now(),
        ),
        fingerprint,
        at: this.at(),
        ...(published.repositories ? { repositories: published.repositories } : {}),
      });
      await this.ports.records.put(
        moveImageBuild(queued, 'unchanged', this.at(), `same fingerprint as ${published.version}`, {
          sameAs: published.version,
        }),
      );
    }
    return { kind: 'unchanged', image: published.image, fingerprint };
  }

  /**
   * The record as `failed` with `cause` (unless the publisher already recorded it) and `image.failed`; a
   * retryable cause is thrown again for the message to be delivered again.
   */
  private async failed(record: ImageBuildRecord, cause: unknown): Promise<ImageBuildRequestOutcome> {
    const error = buildErrorOf(cause);
    if (record.state !== 'failed') {
      const failed = moveImageBuild(record, 'failed', this.at(), error.code, { error });
      await this.ports.records.put(failed);
      await this.ports.events.publish([failedEvent(failed, this.at())]);
    }
    if (error.retryable) throw cause;
    return {
      kind: 'failed',
      image: record.image,
      fingerprint: record.fingerprint,
      buildId: record.version,
      error,
    };
  }

  private at(): string {
    return this.ports.now().toISOString();
  }
}

/** A record a new attempt takes over: on its way, or failed in a way worth trying again. */
function continues(record: ImageBuildRecord): boolean {
  if (record.state === 'failed') return record.error?.retryable === true;
  return record.state === 'queued' || record.state === 'building' || record.state === 'uploading';
}

function revisionsOf(repositories: readonly PublishedRepository[]): Record<string, number> {
  return Object.fromEntries(repositories.map((r) => [r.repository, r.revision]));
}

const queuedOutcome = (record: ImageBuildRecord): ImageBuildRequestOutcome => ({
  kind: 'queued',
  image: record.image,
  fingerprint: record.fingerprint,
  buildId: record.version,
});

const publishedOutcome = (record: ImageBuildRecord): ImageBuildRequestOutcome => ({
  kind: 'published',
  image: record.image,
  fingerprint: record.fingerprint,
  buildId: record.version,
  ...(record.urls ? { url: record.urls.vhd } : {}),
});

function buildErrorOf(cause: unknown): ImageBuildError {
  if (PipelineError.is(cause))
    return { code: cause.code, message: cause.message, retryable: cause.retryable };
  return { code: 'image.build-failed', message: describeError(cause), retryable: false };
}

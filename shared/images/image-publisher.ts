import { describeError, PipelineError } from '../errors';
import { pipelineEvent } from '../events/pipeline-event';
import type { PipelineEvent, PipelineEventPublisher } from '../messaging/pipeline-event';
import { imageBlobNames } from './image-blob-names';
import { latestImageBuild, moveImageBuild, newImageBuild } from './image-build';
import type { ImageBuildError, ImageBuildRecord } from './image-build';
import type { ImageBuildRecords } from './image-build-records';
import type { ImageManifest } from './manifest';
import { imageManifestJson } from './manifest';
import { buildImageSbom, imageSbomJson } from './spdx';

/** What uploading a VHD reported (`uploadFixedVhd`'s answer, as much of it as publishing needs). */
export interface UploadedVhd {
  readonly url: string;
  /** Bytes of the VHD file. */
  readonly size: number;
  /** SHA-256 (hex) of the whole file. */
  readonly sha256: string;
  /** What this run sent (an interrupted upload that is resumed sends only the rest). */
  readonly bytesSent: number;
  readonly outcome: string;
}

/**
 * The port to the page blob upload (`infra/images/image-publisher-ports.ts` puts `uploadFixedVhd` behind it):
 * the fixed VHD `file` as the page blob `blobName` of the `images` container. A blob of that name holding an
 * interrupted upload of the same file is continued, any other is replaced.
 */
export interface VhdUploader {
  upload(file: string, blobName: string, metadata: Readonly<Record<string, string>>): Promise<UploadedVhd>;
}

/** The port to small documents in the `images` container (block blobs, anonymous read). */
export interface ImageFileStore {
  /** Writes `body` as `blobName` (replacing it) and answers its URL. */
  put(blobName: string, body: string, contentType: string): Promise<string>;
}

export interface ImagePublisherPorts {
  readonly records: ImageBuildRecords;
  readonly uploader: VhdUploader;
  readonly files: ImageFileStore;
  readonly events: PipelineEventPublisher;
  readonly now: () => Date;
}

export interface PublishImageRequest {
  readonly image: string;
  readonly version: string;
  /** The fixed VHD on disk (a path the uploader reads). */
  readonly vhdFile: string;
  /** The build's manifest: it must name this image and version and describe this VHD (size, SHA-256). */
  readonly manifest: ImageManifest;
  /** The SBOM's bytes (SPDX 2.3 JSON); default: made from the manifest (`buildImageSbom`). */
  readonly sbom?: string;
  /**
   * Called with the VHD's URL once it and its documents are uploaded, before the record says `published`
   * (the gallery registration): its failure is the build's, recorded and thrown as any other.
   */
  readonly register?: (blobUrl: string) => Promise<void>;
}

export interface PublishImageOutcome {
  /**
   * `published`: uploaded now; `already-published`: this version was published with this fingerprint before
   * (nothing is uploaded, its `image.published` is sent again, a duplicate receivers drop); `unchanged`: the
   * image's latest published version has the same fingerprint, nothing is uploaded and no event is sent.
   */
  readonly outcome: 'published' | 'already-published' | 'unchanged';
  readonly record: ImageBuildRecord;
  /** Bytes the VHD upload sent (0 unless `published`). */
  readonly bytesSent: number;
}

/**
 * Publishes a built image: its fixed VHD as a page blob, `manifest.json` and `sbom.spdx.json` beside it
 * (`imageBlobNames`), its build record moved `uploading → published` with the URLs, sizes and SHA-256, and
 * `image.published` on the `events` topic. The record is created (`queued`, then `uploading`) when the
 * version has none, as for a VHD built outside the pipeline; a record left `uploading` by an interrupted run
 * is continued, and so is its half-written blob.
 *
 * Every version has its own blob names, and a published version is never written again (another fingerprint
 * for it is `image.version-taken`), so a failure can only leave a half-written VHD under a version that was
 * never published. Any failure after the record exists moves it to `failed` with the error's code, message
 * and `retryable`, sends `image.failed`, and is thrown again. **Retrying**: when the thrown error is
 * retryable (`PipelineError.retryable`: storage unavailable, the VHD changed while it was read), the caller
 * calls `publish` again with the same request, at once or after a back-off (the `image publish` command
 * exits 1 and is run again; a queue handler lets the message be redelivered): the record goes from `failed`
 * to `uploading` again and the upload continues what the blob already holds.
 */
export class ImagePublisher {
  constructor(private readonly ports: ImagePublisherPorts) {}

  async publish(request: PublishImageRequest): Promise<PublishImageOutcome> {
    const { image, version, manifest } = request;
    const names = imageBlobNames(image, version);
    const existing = await this.ports.records.get(image, version);
    if (existing?.state === 'published') return this.alreadyPublished(existing, manifest);
    if (existing?.state === 'unchanged' && existing.fingerprint === manifest.fingerprint)
      return { outcome: 'unchanged', record: existing, bytesSent: 0 };

    let record =
      existing ??
      newImageBuild({
        image,
        version,
        fingerprint: manifest.fingerprint,
        at: this.at(),
        detail: 'a built VHD to publish',
        repositories: repositoriesOf(manifest),
      });
    try {
      checkManifest(request, record);
      const sameAs = latestImageBuild(
        (await this.ports.records.versions(image)).filter((r) => r.version !== version),
        'published',
      );
      if (sameAs?.fingerprint === manifest.fingerprint) {
        record = moveImageBuild(record, 'unchanged', this.at(), `same fingerprint as ${sameAs.version}`, {
          sameAs: sameAs.version,
        });
        await this.ports.records.put(record);
        return { outcome: 'unchanged', record, bytesSent: 0 };
      }
      if (record.state !== 'uploading') {
        record = moveImageBuild(record, 'uploading', this.at(), names.vhd);
        await this.ports.records.put(record);
      }

      const uploaded = await this.ports.uploader.upload(request.vhdFile, names.vhd, { image, version });
      checkUploaded(request, uploaded);
      const sbom = request.sbom ?? imageSbomJson(buildImageSbom(manifest));
      const manifestUrl = await this.ports.files.put(
        names.manifest,
        imageManifestJson(manifest),
        'application/json',
      );
      const sbomUrl = await this.ports.files.put(names.sbom, sbom, 'application/spdx+json');
      await request.register?.(uploaded.url);

      record = moveImageBuild(record, 'published', this.at(), `${uploaded.bytesSent} bytes sent`, {
        repositories: repositoriesOf(manifest),
        sizes: { ...manifest.sizes },
        urls: { vhd: uploaded.url, manifest: manifestUrl, sbom: sbomUrl },
        sha256: uploaded.sha256,
        packages: manifest.packages.length,
        missing: [...manifest.requested.missing],
      });
      await this.ports.records.put(record);
      await this.ports.events.publish([publishedEvent(record, this.at())]);
      return { outcome: 'published', record, bytesSent: uploaded.bytesSent };
    } catch (error) {
      await this.recordFailure(record, error);
      throw error;
    }
  }

  /** The same fingerprint again: the announcement is repeated (same event id); anything else is refused. */
  private async alreadyPublished(
    record: ImageBuildRecord,
    manifest: ImageManifest,
  ): Promise<PublishImageOutcome> {
    if (record.fingerprint !== manifest.fingerprint) {
      throw PipelineError.permanent(
        'image.version-taken',
        `${record.image} ${record.version} is already published with fingerprint ${record.fingerprint}; publish ${manifest.fingerprint} as another version`,
        { image: record.image, version: record.version },
      );
    }
    await this.ports.events.publish([publishedEvent(record, this.at())]);
    return { outcome: 'already-published', record, bytesSent: 0 };
  }

  /** `failed` with the error, and `image.failed`; a failure to record it does not hide the first one. */
  private async recordFailure(record: ImageBuildRecord, cause: unknown): Promise<void> {
    const error = errorOf(cause);
    if (record.state === 'failed' && record.error?.retryable !== true) return;
    try {
      const failed = moveImageBuild(record, 'failed', this.at(), error.code, { error });
      await this.ports.records.put(failed);
      await this.ports.events.publish([failedEvent(failed, this.at())]);
    } catch {
      // The caller sees the original failure; the record stays where it was (a retry moves it on).
    }
  }

  private at(): string {
    return this.ports.now().toISOString();
  }
}

function checkManifest(request: PublishImageRequest, record: ImageBuildRecord): void {
  const { manifest } = request;
  const named = `${manifest.image.name} ${manifest.image.version}`;
  if (manifest.image.name !== request.image || manifest.image.version !== request.version)
    throw mismatch(request, `the manifest is of ${named}`);
  if (manifest.fingerprint !== record.fingerprint)
    throw mismatch(request, `the manifest's fingerprint is not the build's ${record.fingerprint}`);
}

function checkUploaded(request: PublishImageRequest, uploaded: UploadedVhd): void {
  const { vhd, sizes } = request.manifest;
  if (uploaded.sha256 !== vhd.sha256)
    throw mismatch(request, `the VHD's SHA-256 is ${uploaded.sha256}, the manifest says ${vhd.sha256}`);
  if (uploaded.size !== sizes.vhdFileBytes)
    throw mismatch(request, `the VHD is ${uploaded.size} bytes, the manifest says ${sizes.vhdFileBytes}`);
}

const mismatch = (request: PublishImageRequest, message: string) =>
  PipelineError.permanent('image.manifest-mismatch', `${request.image} ${request.version}: ${message}`, {
    image: request.image,
    version: request.version,
  });

function errorOf(error: unknown): ImageBuildError {
  if (PipelineError.is(error))
    return { code: error.code, message: error.message, retryable: error.retryable };
  return { code: 'image.publish-failed', message: describeError(error), retryable: false };
}

const repositoriesOf = (manifest: ImageManifest): Record<string, number> =>
  Object.fromEntries(manifest.repositories.map((r) => [r.repository, r.revision]));

function imageData(record: ImageBuildRecord) {
  return {
    image: record.image,
    version: record.version,
    fingerprint: record.fingerprint,
    repositories: { ...record.repositories },
  };
}

/** `image.published` of a published record; one per image version (its id is derived from them). */
export function publishedEvent(record: ImageBuildRecord, time: string): PipelineEvent<'image.published'> {
  const { urls, sizes, sha256 } = record;
  if (record.state !== 'published' || !urls || !sizes || sha256 === undefined)
    throw PipelineError.permanent(
      'image.invalid-transition',
      `${record.image} ${record.version} is ${record.state}, not published with its URLs`,
      { image: record.image, version: record.version },
    );
  return pipelineEvent('image.published', {
    identity: `${record.image}:${record.version}`,
    subject: record.image,
    time,
    data: {
      ...imageData(record),
      blobUrl: urls.vhd,
      manifestUrl: urls.manifest,
      sbomUrl: urls.sbom,
      sha256,
      virtualSizeBytes: sizes.virtualBytes,
      packages: record.packages ?? 0,
      missing: [...(record.missing ?? [])],
    },
  });
}

/** `image.failed` of a failed record; one per failure (the history's length tells retries apart). */
export function failedEvent(record: ImageBuildRecord, time: string): PipelineEvent<'image.failed'> {
  const error = record.error ?? {
    code: 'image.publish-failed',
    message: 'no error recorded',
    retryable: false,
  };
  return pipelineEvent('image.failed', {
    identity: `${record.image}:${record.version}:${record.history.length}`,
    subject: record.image,
    time,
    data: { ...imageData(record), error },
  });
}

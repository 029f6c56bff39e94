import type { PipelineEventPublisher } from '../../shared/messaging/pipeline-event';
import { ImagePublisher } from '../../shared/images/image-publisher';
import type { ImageFileStore, VhdUploader } from '../../shared/images/image-publisher';
import { imagesContainer } from '../../shared/storage';
import { ensureCatalogueContainer } from '../storage/catalogue-container';
import type { BlobStore, InvalidRowHandler, TableStore } from '../storage';
import type { StorageTarget } from '../storage/storage-target';
import type { PageBlobContainer } from './page-blob-port';
import { uploadFixedVhd } from './page-blob-upload';
import type { UploadProgress } from './page-blob-upload';
import { sdkPageBlobContainer } from './sdk-page-blob';
import { TableImageBuilds } from './table-image-builds';

/** `uploadFixedVhd` into `container`, behind the publisher's upload port. */
export function pageBlobVhdUploader(
  container: PageBlobContainer,
  onProgress?: (progress: UploadProgress) => void,
): VhdUploader {
  return {
    upload: (file, blobName, metadata) =>
      uploadFixedVhd({ file, container, blobName, metadata, ...(onProgress ? { onProgress } : {}) }),
  };
}

/** Small documents as block blobs of `container` (created with its catalogue access level first). */
export function blobImageFileStore(
  blobs: BlobStore,
  container: string = imagesContainer.name,
): ImageFileStore {
  return {
    async put(blobName, body, contentType) {
      await blobs.put(container, blobName, body, { contentType });
      return blobs.url(container, blobName);
    },
  };
}

export interface ImagePublishingStores {
  readonly tables: TableStore;
  /** The publishing account's blobs (where `images` is anonymously readable) and its target. */
  readonly blobs: BlobStore;
  readonly blobTarget: StorageTarget;
  readonly events: PipelineEventPublisher;
  readonly skipInvalidRow?: InvalidRowHandler;
  /** Test copies of the catalogue's `images` container and `imagebuilds` table. */
  readonly containerName?: string;
  readonly tableName?: string;
  readonly onProgress?: (progress: UploadProgress) => void;
  readonly now?: () => Date;
}

/**
 * The image publisher over Tables and Blob Storage; the `images` container is made sure of (anonymous blob
 * read) before the publisher is handed out.
 */
export async function composeImagePublisher(stores: ImagePublishingStores): Promise<ImagePublisher> {
  const container = stores.containerName ?? imagesContainer.name;
  await ensureCatalogueContainer(stores.blobs, imagesContainer, container);
  return new ImagePublisher({
    records: new TableImageBuilds(stores.tables, stores.skipInvalidRow, stores.tableName),
    uploader: pageBlobVhdUploader(sdkPageBlobContainer(stores.blobTarget, container), stores.onProgress),
    files: blobImageFileStore(stores.blobs, container),
    events: stores.events,
    now: stores.now ?? (() => new Date()),
  });
}

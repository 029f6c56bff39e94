import { BlobServiceClient } from '@azure/storage-blob';
import { PipelineError } from '../../shared/errors';
import { classifyStorageError } from '../storage';
import type { StorageTarget } from '../storage';
import { credentialOf } from '../storage/storage-target';
import { decodeToken, encodeToken } from './continuation';
import type { PageRequest } from '../../shared/status/ports';

/**
 * Blob names one page at a time with the service's own marker (List Blobs `marker` / `NextMarker`), so page
 * N costs one request of `limit` names however many blobs come before it; the quarantine can hold
 * thousands. The API's token wraps the marker. A container that does not exist yet reads as empty.
 */
export class BlobNamePager {
  private readonly service: BlobServiceClient;

  constructor(target: StorageTarget) {
    this.service =
      'connectionString' in target
        ? BlobServiceClient.fromConnectionString(target.connectionString)
        : new BlobServiceClient(target.url, credentialOf(target));
  }

  async page(container: string, page: PageRequest): Promise<{ names: string[]; continuationToken?: string }> {
    const marker = decodeToken(container, page.continuationToken);
    try {
      const pages = this.service
        .getContainerClient(container)
        .listBlobsFlat()
        .byPage({ maxPageSize: page.limit, ...(marker ? { continuationToken: marker } : {}) });
      const next = await pages.next();
      if (next.done) return { names: [] };
      const names = next.value.segment.blobItems.map((item) => item.name);
      const token = encodeToken(container, next.value.continuationToken);
      return { names, ...(token ? { continuationToken: token } : {}) };
    } catch (error) {
      const classified = classifyStorageError(error, 'list', { container });
      if (PipelineError.is(classified, 'storage.not-found')) return { names: [] };
      throw classified;
    }
  }
}

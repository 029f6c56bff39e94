import { BlobServiceClient, StorageRetryPolicyType } from '@azure/storage-blob';
import type { ContainerClient, PageBlobClient } from '@azure/storage-blob';
import { PipelineError } from '../../shared/errors';
import type { ByteRange } from '../../shared/images/byte-ranges';
import { MAX_PAGE_WRITE_BYTES, PAGE_BYTES } from '../../shared/images/page-upload-plan';
import { storageCall } from '../storage/storage-errors';
import type { StoragePlace } from '../storage/storage-errors';
import { credentialOf, DEFAULT_BLOB_OPERATION_TIMEOUT_MS } from '../storage/storage-target';
import type { StorageClientOptions, StorageTarget } from '../storage/storage-target';
import type { PageBlob, PageBlobContainer, PageBlobProperties } from './page-blob-port';

/**
 * The page blobs of one container through `@azure/storage-blob`. The SDK does not retry (`maxTries` 1 unless
 * given): the uploader retries each classified transient failure itself, so retries are not nested.
 */
export function sdkPageBlobContainer(
  target: StorageTarget,
  container: string,
  options: StorageClientOptions = {},
): PageBlobContainer {
  const clientOptions = {
    retryOptions: {
      retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
      maxTries: options.maxTries ?? 1,
      tryTimeoutInMs: options.tryTimeoutMs,
      retryDelayInMs: options.retryDelayMs,
    },
  };
  const service =
    'connectionString' in target
      ? BlobServiceClient.fromConnectionString(target.connectionString, clientOptions)
      : new BlobServiceClient(target.url, credentialOf(target), clientOptions);
  const client = service.getContainerClient(container);
  const timeoutMs = options.operationTimeoutMs ?? DEFAULT_BLOB_OPERATION_TIMEOUT_MS;
  return { pageBlob: (name) => new SdkPageBlob(client, name, timeoutMs) };
}

class SdkPageBlob implements PageBlob {
  private readonly client: PageBlobClient;
  private readonly place: StoragePlace;

  constructor(
    container: ContainerClient,
    name: string,
    private readonly timeoutMs: number,
  ) {
    this.client = container.getPageBlobClient(name);
    this.place = { account: container.accountName, container: container.containerName, blob: name };
  }

  get url(): string {
    return this.client.url;
  }

  async properties(): Promise<PageBlobProperties | undefined> {
    return storageCall('pageBlob.properties', this.place, async () => {
      try {
        const props = await this.client.getProperties({ abortSignal: this.deadline() });
        return { size: props.contentLength ?? 0, metadata: props.metadata ?? {} };
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    });
  }

  async create(size: number, metadata: Readonly<Record<string, string>>): Promise<void> {
    await storageCall('pageBlob.create', { ...this.place, size }, () =>
      this.client.create(size, { metadata: { ...metadata }, abortSignal: this.deadline() }),
    );
  }

  async pageRanges(): Promise<ByteRange[]> {
    return storageCall('pageBlob.pageRanges', this.place, async () => {
      const ranges: ByteRange[] = [];
      // Listed page by page: Azure's one-shot Get Page Ranges can time out on a large, fragmented blob.
      for await (const range of this.client.listPageRanges(0, undefined, { abortSignal: this.deadline() })) {
        // The service's ends are inclusive.
        ranges.push({ start: range.start, end: range.end + 1 });
      }
      return ranges;
    });
  }

  async writePages(offset: number, body: Uint8Array): Promise<void> {
    const count = body.byteLength;
    if (
      offset % PAGE_BYTES !== 0 ||
      count % PAGE_BYTES !== 0 ||
      count === 0 ||
      count > MAX_PAGE_WRITE_BYTES
    ) {
      throw PipelineError.permanent(
        'image.page-range-invalid',
        `a page write must be 512-byte aligned and 512 B to 4 MiB long: offset ${offset}, ${count} bytes`,
        { ...this.place, offset, count },
      );
    }
    await storageCall('pageBlob.writePages', { ...this.place, offset, count }, () =>
      this.client.uploadPages(body, offset, count, { abortSignal: this.deadline() }),
    );
  }

  async setMetadata(metadata: Readonly<Record<string, string>>): Promise<void> {
    await storageCall('pageBlob.setMetadata', this.place, () =>
      this.client.setMetadata({ ...metadata }, { abortSignal: this.deadline() }),
    );
  }

  private deadline(): AbortSignal {
    return AbortSignal.timeout(this.timeoutMs);
  }
}

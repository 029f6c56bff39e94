import { setTimeout as sleep } from 'node:timers/promises';
import { BlobServiceClient, StorageRetryPolicyType } from '@azure/storage-blob';
import type { BlobDownloadResponseParsed, ContainerClient } from '@azure/storage-blob';
import { PipelineError } from '../../shared/errors';
import { quotedEtag } from './blob-model';
import type { BlobContent, BlobInfo, BlobListing, PutBlobOptions } from './blob-model';
import { readBody } from './read-body';
import { streamCopy } from './blob-stream-copy';
import { storageOperations } from './operation-tally';
import { classifyStorageError, requireEtag, storageCall } from './storage-errors';
import type { StoragePlace } from './storage-errors';
import { credentialOf, DEFAULT_BLOB_OPERATION_TIMEOUT_MS } from './storage-target';
import type { StorageClientOptions, StorageTarget } from './storage-target';

/** How often a server-side copy's status is read until it ends. */
const COPY_POLL_MS = 200;

/**
 * Blob storage for whole objects written in one request (documents, manifests, pointers, small artifacts):
 * `put` is a single Put Blob, so keep bodies to tens of MiB. Every failure is a classified PipelineError;
 * "missing" is a value (`undefined` / `false`), not an error, except that a missing container stays an error
 * (`storage.not-found`) because it means misconfiguration rather than absent data.
 */
export class BlobStore {
  private readonly service: BlobServiceClient;
  private readonly operationTimeoutMs: number;
  private readonly listPageSize: number | undefined;

  constructor(target: StorageTarget, options: StorageClientOptions = {}) {
    this.operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_BLOB_OPERATION_TIMEOUT_MS;
    this.listPageSize = options.listPageSize;
    const clientOptions = {
      retryOptions: {
        retryPolicyType: StorageRetryPolicyType.EXPONENTIAL,
        maxTries: options.maxTries,
        tryTimeoutInMs: options.tryTimeoutMs,
        retryDelayInMs: options.retryDelayMs,
      },
    };
    this.service =
      'connectionString' in target
        ? BlobServiceClient.fromConnectionString(target.connectionString, clientOptions)
        : new BlobServiceClient(target.url, credentialOf(target), clientOptions);
  }

  get account(): string {
    return this.service.accountName;
  }

  /**
   * Creates the container when missing. `publicAccess: 'blob'` makes its blobs readable anonymously (not
   * listable), set also on an existing container; the account must allow public access (Azurite does).
   * `none` (the default) creates a private container (an existing one keeps its level).
   */
  async ensureContainer(
    container: string,
    options: { readonly publicAccess?: 'none' | 'blob' } = {},
  ): Promise<void> {
    const access = options.publicAccess === 'blob' ? 'blob' : undefined;
    storageOperations.container(container, 'write');
    await storageCall('ensureContainer', { account: this.account, container }, async () => {
      const abortSignal = this.deadline();
      const client = this.containerClient(container);
      const created = await client.createIfNotExists({ access, abortSignal });
      // An existing container keeps its access level when it is already right (the Azure deployment creates
      // it so): setting it is Set Container ACL, which Entra ID grants only to Storage Blob Data Owner, a role
      // the publishing account's clients do not need otherwise.
      if (access && !created.succeeded) {
        const properties = await client.getProperties({ abortSignal });
        if (properties.blobPublicAccess !== access) {
          await client.setAccessPolicy(access, undefined, { abortSignal });
        }
      }
    });
  }

  /** The URL of a container, or of a blob in it (no credentials in it). */
  url(container: string, name?: string): string {
    const client = this.containerClient(container);
    return name === undefined ? client.url : client.getBlobClient(name).url;
  }

  /**
   * Copies a blob of this account, or of `from.store`'s, to `container/name` (overwriting it), and waits
   * until the copy has finished. Within one account (no `from.store`, or one on the same blob service) it
   * is a server-side Copy Blob: the service moves the bytes, nothing passes through this process, and the
   * source is authorized by this client's credential. From another account it is a streamed copy
   * (blob-stream-copy.ts says why). A missing source is `storage.not-found`.
   */
  async copy(
    from: { readonly container: string; readonly name: string; readonly store?: BlobStore },
    container: string,
    name: string,
  ): Promise<{ etag: string; size: number }> {
    const sourceStore = from.store ?? this;
    const sameAccount = sourceStore === this || sourceStore.service.url === this.service.url;
    const source = sourceStore.containerClient(from.container).getBlobClient(from.name);
    const place = {
      ...this.place(container, name),
      source: sameAccount
        ? `${from.container}/${from.name}`
        : `${sourceStore.account}/${from.container}/${from.name}`,
    };
    storageOperations.container(container, 'write');
    return storageCall('copy', place, async () => {
      const abortSignal = this.deadline();
      const target = this.containerClient(container).getBlockBlobClient(name);
      if (!sameAccount) return streamCopy(source, target, abortSignal, place);
      const poller = await target.beginCopyFromURL(source.url, { abortSignal });
      // Polled here rather than by `pollUntilDone`, which takes no signal for its status requests.
      while (!poller.isDone()) {
        await poller.poll({ abortSignal });
        if (!poller.isDone()) await sleep(COPY_POLL_MS, undefined, { signal: abortSignal });
      }
      const result = poller.getResult();
      if (result?.copyStatus !== 'success') {
        throw PipelineError.transient(
          'storage.copy-failed',
          `copy ended ${result?.copyStatus ?? 'unknown'}`,
          place,
        );
      }
      const props = await target.getProperties({ abortSignal });
      return { etag: requireEtag(props.etag, 'copy', place), size: props.contentLength ?? 0 };
    });
  }

  async put(
    container: string,
    name: string,
    body: Uint8Array | string,
    options: PutBlobOptions = {},
  ): Promise<{ etag: string }> {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    storageOperations.container(container, 'write');
    const response = await storageCall('put', this.place(container, name), () =>
      this.containerClient(container)
        .getBlockBlobClient(name)
        .upload(bytes, bytes.byteLength, {
          blobHTTPHeaders: options.contentType ? { blobContentType: options.contentType } : undefined,
          metadata: options.metadata,
          conditions: { ifMatch: options.ifMatch, ifNoneMatch: options.ifNoneMatch },
          abortSignal: this.deadline(),
        }),
    );
    return { etag: requireEtag(response.etag, 'put', this.place(container, name)) };
  }

  /** The whole blob, or `undefined` when it does not exist. */
  get(container: string, name: string): Promise<BlobContent | undefined> {
    return this.download('get', container, name);
  }

  /** `count` bytes from `offset` (fewer at the end of the blob); `undefined` when the blob does not exist. */
  async getRange(
    container: string,
    name: string,
    offset: number,
    count: number,
  ): Promise<BlobContent | undefined> {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(count) || count < 1) {
      const place = { ...this.place(container, name), offset, count };
      throw PipelineError.permanent('storage.invalid-range', 'offset must be >= 0 and count >= 1', place);
    }
    return this.download('getRange', container, name, offset, count);
  }

  /** Properties without the body, or `undefined` when the blob does not exist. */
  async head(container: string, name: string): Promise<BlobInfo | undefined> {
    const place = this.place(container, name);
    storageOperations.container(container, 'read');
    const props = await this.missingAsUndefined('head', place, () =>
      this.containerClient(container).getBlobClient(name).getProperties({ abortSignal: this.deadline() }),
    );
    if (props === undefined) return undefined;
    const etag = requireEtag(props.etag, 'head', place);
    const lastModified = props.lastModified ?? new Date(0);
    return {
      name,
      size: props.contentLength ?? 0,
      etag,
      lastModified,
      contentType: props.contentType,
      metadata: props.metadata ?? {},
    };
  }

  /** Blobs whose names start with `prefix`, in name order, fetched page by page as the caller iterates. */
  async *list(container: string, prefix = ''): AsyncIterable<BlobListing> {
    // A page at a time, each request with its own deadline: the caller's time between items is not counted.
    let continuationToken: string | undefined;
    try {
      do {
        const pages = this.containerClient(container)
          .listBlobsFlat({ prefix: prefix || undefined, abortSignal: this.deadline() })
          .byPage({ continuationToken, maxPageSize: this.listPageSize });
        storageOperations.container(container, 'list');
        const next = await pages.next();
        const page = next.done ? undefined : next.value;
        for (const item of page?.segment.blobItems ?? []) {
          const { contentLength, etag, lastModified } = item.properties;
          yield { name: item.name, size: contentLength ?? 0, etag: quotedEtag(etag ?? ''), lastModified };
        }
        continuationToken = page?.continuationToken || undefined;
      } while (continuationToken);
    } catch (error) {
      throw classifyStorageError(error, 'list', { account: this.account, container, prefix });
    }
  }

  /** Deletes the blob (and its snapshots); `false` when it did not exist. A stale `ifMatch` is an error. */
  async delete(
    container: string,
    name: string,
    options: { readonly ifMatch?: string } = {},
  ): Promise<boolean> {
    storageOperations.container(container, 'write');
    const deleted = await this.missingAsUndefined('delete', this.place(container, name), () =>
      this.containerClient(container)
        .getBlobClient(name)
        .delete({
          deleteSnapshots: 'include',
          conditions: { ifMatch: options.ifMatch },
          abortSignal: this.deadline(),
        }),
    );
    return deleted !== undefined;
  }

  private async download(op: string, container: string, name: string, offset = 0, count?: number) {
    // One GET: the bytes and the ETag/metadata returned with them describe the same version of the blob.
    const place = this.place(container, name);
    storageOperations.container(container, 'read');
    return this.missingAsUndefined(op, place, async (): Promise<BlobContent> => {
      const response: BlobDownloadResponseParsed = await this.containerClient(container)
        .getBlobClient(name)
        .download(offset, count, { abortSignal: this.deadline() });
      const bytes = await readBody(response.readableStreamBody);
      return {
        bytes,
        etag: requireEtag(response.etag, op, place),
        metadata: response.metadata ?? {},
        contentType: response.contentType,
      };
    });
  }

  /** A missing blob becomes `undefined`; a missing container or anything else stays an error. */
  private async missingAsUndefined<T>(op: string, place: StoragePlace, action: () => Promise<T>) {
    try {
      return await action();
    } catch (error) {
      const classified = classifyStorageError(error, op, place);
      const containerMissing = classified.context.errorCode === 'ContainerNotFound';
      if (classified.code === 'storage.not-found' && !containerMissing) return undefined;
      throw classified;
    }
  }

  /** A signal that ends an operation still running after `operationTimeoutMs` (a `storage.unavailable`). */
  private deadline(): AbortSignal {
    return AbortSignal.timeout(this.operationTimeoutMs);
  }

  private containerClient(container: string): ContainerClient {
    return this.service.getContainerClient(container);
  }

  private place(container: string, blob: string): StoragePlace {
    return { account: this.account, container, blob };
  }
}

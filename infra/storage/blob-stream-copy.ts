import { Readable, Transform } from 'node:stream';
import type { BlobClient, BlockBlobClient } from '@azure/storage-blob';
import { PipelineError } from '../../shared/errors';
import { placeContext, requireEtag } from './storage-errors';
import type { StoragePlace } from './storage-errors';

/** Block size and blocks in flight of the upload: at most 40 MiB buffered, blobs up to 50,000 blocks. */
const BLOCK_BYTES = 8 * 1024 * 1024;
const BLOCKS_IN_FLIGHT = 5;

/**
 * Copies a blob of another account by streaming it through this process: one GET of the source piped into a
 * block upload of the target, with the source's content type and metadata, as Copy Blob would carry them.
 *
 * Why a stream rather than a server-side copy: across accounts, Copy Blob and Put Blob From URL make the
 * target account read the source, so the source must authorize that read itself: a SAS (which needs an
 * account key or a user delegation key, and a shared-key-free account has no account key) or, for Put Blob
 * From URL only, the identity's bearer token in `x-ms-copy-source-authorization`, limited to 5000 MiB and
 * to token credentials (Azurite refuses an unauthorized one the same way: 403 `CannotVerifyCopySource`, see
 * tests/infra/storage/blob-store-copy-accounts.test.ts). The stream needs nothing but the two clients this process already has, whatever
 * their credentials (a managed identity in Azure, keys on Azurite), and has no size limit below the block
 * blob's; the bytes cross the process once, bounded to a few blocks in memory. Packages are read once per
 * publish, so the extra hop costs little next to the build that made them.
 *
 * The download resumes a broken body with If-Match on the ETag it started from, so the target is one
 * version of the source; the byte count is checked against the source's length, and a short or long copy
 * is `storage.copy-failed` (transient: the next attempt copies again). The caller classifies every other
 * failure once, as its other operations (`storageCall`).
 */
export async function streamCopy(
  source: BlobClient,
  target: BlockBlobClient,
  abortSignal: AbortSignal,
  place: StoragePlace,
): Promise<{ etag: string; size: number }> {
  const download = await source.download(0, undefined, { abortSignal });
  const body = download.readableStreamBody;
  const expected = download.contentLength ?? 0;
  let copied = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      copied += chunk.byteLength;
      done(null, chunk);
    },
  });
  const input = body === undefined ? Readable.from([]) : Readable.from(body);
  // A failure of the download stream ends the counted stream with it, so the upload rejects with it.
  input.on('error', (error) => counter.destroy(error));
  const uploaded = await target.uploadStream(input.pipe(counter), BLOCK_BYTES, BLOCKS_IN_FLIGHT, {
    blobHTTPHeaders: {
      blobContentType: download.contentType,
      blobContentEncoding: download.contentEncoding,
      blobContentDisposition: download.contentDisposition,
      blobCacheControl: download.cacheControl,
      blobContentLanguage: download.contentLanguage,
    },
    metadata: download.metadata,
    abortSignal,
  });
  if (copied !== expected) {
    throw PipelineError.transient(
      'storage.copy-failed',
      `copy streamed ${copied} of ${expected} bytes`,
      placeContext(place),
    );
  }
  return { etag: requireEtag(uploaded.etag, 'copy', place), size: copied };
}

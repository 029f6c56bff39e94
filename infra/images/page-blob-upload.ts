import { open, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { PipelineError } from '../../shared/errors';
import { rangeLength, totalLength } from '../../shared/images/byte-ranges';
import type { ByteRange } from '../../shared/images/byte-ranges';
import { PAGE_BYTES, planPageUpload } from '../../shared/images/page-upload-plan';
import type { PageBlobContainer } from './page-blob-port';
import { readFully } from '../os/read-fully';
import { scanVhd } from './vhd-scan';

/** The blob metadata the upload owns; the caller's `metadata` must not use these keys. */
export const VHD_METADATA = { sha256: 'sha256', sourceSize: 'sourcesize', complete: 'complete' } as const;

const FOOTER_COOKIE = 'conectix';

export interface UploadProgress {
  readonly bytesSent: number;
  readonly bytesToSend: number;
  readonly rangesSent: number;
  readonly rangesToSend: number;
}

export interface FixedVhdUpload {
  /** A fixed VHD: whole 512-byte sectors, its footer (cookie `conectix`) in the last one. */
  readonly file: string;
  readonly container: PageBlobContainer;
  /** `vhdBlobName(image, version)` for the `images` container. */
  readonly blobName: string;
  /** Kept on the blob beside `sha256`, `sourcesize` and `complete`. */
  readonly metadata?: Readonly<Record<string, string>>;
  /** Page writes in flight at once (each up to 4 MiB of memory); default 8. */
  readonly parallelism?: number;
  /** Called after each write, the footer's included. */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Attempts per write (and per other call) on a transient failure, the first included; default 5. */
  readonly attempts?: number;
  /** First back-off delay before a retry, doubled each time; default 500 ms. */
  readonly retryDelayMs?: number;
}

export interface FixedVhdUploaded {
  readonly url: string;
  readonly size: number;
  readonly sha256: string;
  /** Non-zero bytes of the file before the footer. */
  readonly dataBytes: number;
  /** What this run sent, the footer included. */
  readonly bytesSent: number;
  readonly rangesSent: number;
  /** Pieces of the data (up to 4 MiB each) an earlier, interrupted run had already written whole. */
  readonly rangesSkipped: number;
  readonly bytesSkipped: number;
  /** `resumed`: an interrupted upload of the same file was continued; `complete`: it was already done. */
  readonly outcome: 'created' | 'replaced' | 'resumed' | 'complete';
}

/**
 * Uploads a fixed VHD as a page blob, sending only its non-zero sectors.
 *
 * The file is read once to learn its SHA-256 and where its data is; the blob is then created with the file's
 * size and metadata `sha256` and `sourcesize` (so an interrupted upload can be recognised), the data is written
 * in 512-byte aligned writes of at most 4 MiB, `parallelism` at a time, the footer last, and only then does the
 * metadata say `complete=true`. A blob of that name with the same size, digest and source size is continued:
 * its page ranges say what is there already, and only the rest is sent (Put Page is atomic, so a write an
 * interruption cut off is either wholly there or absent). Any other blob of that name is replaced.
 *
 * Failures are the adapters' classified `PipelineError`s: a transient one is retried here (`attempts`, with
 * back-off), anything else ends the upload once the writes in flight have settled, so what is on the blob is
 * exactly what its page ranges say.
 */
export async function uploadFixedVhd(upload: FixedVhdUpload): Promise<FixedVhdUploaded> {
  const { file, blobName } = upload;
  const parallelism = Math.max(1, upload.parallelism ?? 8);
  const retry = retrier(upload.attempts ?? 5, upload.retryDelayMs ?? 500);
  // A file that is no VHD is refused before anything is created or sent.
  await checkIsFixedVhd(file);
  const scan = await scanVhd(file);
  const size = scan.size;
  const blob = upload.container.pageBlob(blobName);
  const metadata = {
    ...upload.metadata,
    [VHD_METADATA.sha256]: scan.sha256,
    [VHD_METADATA.sourceSize]: String(size),
  };

  const existing = await retry(() => blob.properties());
  const sameFile =
    existing?.size === size &&
    existing.metadata[VHD_METADATA.sha256] === scan.sha256 &&
    existing.metadata[VHD_METADATA.sourceSize] === String(size);
  let plan = planPageUpload(size, scan.dataRanges);
  const report = (
    outcome: FixedVhdUploaded['outcome'],
    sent: Sent,
    skipped: { ranges: number; bytes: number },
  ) => ({
    url: blob.url,
    size,
    sha256: scan.sha256,
    dataBytes: plan.dataBytes,
    bytesSent: sent.bytes,
    rangesSent: sent.ranges,
    rangesSkipped: skipped.ranges,
    bytesSkipped: skipped.bytes,
    outcome,
  });

  if (sameFile && existing.metadata[VHD_METADATA.complete] === 'true') {
    const whole = planPageUpload(size, scan.dataRanges, [{ start: 0, end: size }]);
    return report(
      'complete',
      { bytes: 0, ranges: 0 },
      { ranges: whole.skippedRanges, bytes: whole.skippedBytes },
    );
  }
  if (sameFile) {
    plan = planPageUpload(size, scan.dataRanges, await retry(() => blob.pageRanges()));
  } else {
    await retry(() => blob.create(size, metadata));
  }

  const handle = await open(file, 'r');
  const sent: Sent = { bytes: 0, ranges: 0 };
  const toSend = { bytes: totalLength(plan.writes) + PAGE_BYTES, ranges: plan.writes.length + 1 };
  try {
    const write = async (range: ByteRange, expectFooter = false) => {
      const body = Buffer.allocUnsafe(rangeLength(range));
      const read = await readFully(handle, body, body.length, range.start);
      if (read !== body.length) throw changed(file, 'became shorter');
      if (expectFooter) checkFooter(file, body);
      await retry(() => blob.writePages(range.start, body));
      sent.bytes += body.length;
      sent.ranges += 1;
      upload.onProgress?.({
        bytesSent: sent.bytes,
        bytesToSend: toSend.bytes,
        rangesSent: sent.ranges,
        rangesToSend: toSend.ranges,
      });
    };
    await inParallel(plan.writes, parallelism, (range) => write(range));
    await write(plan.footer, true);
  } finally {
    await handle.close();
  }

  const after = await stat(file);
  if (after.size !== size || after.mtimeMs !== scan.mtimeMs) throw changed(file, 'was modified');
  await retry(() => blob.setMetadata({ ...metadata, [VHD_METADATA.complete]: 'true' }));
  return report(sameFile ? 'resumed' : existing ? 'replaced' : 'created', sent, {
    ranges: plan.skippedRanges,
    bytes: plan.skippedBytes,
  });
}

interface Sent {
  bytes: number;
  ranges: number;
}

async function checkIsFixedVhd(file: string): Promise<void> {
  const { size } = await stat(file);
  if (size < PAGE_BYTES || size % PAGE_BYTES !== 0) {
    throw PipelineError.permanent(
      'image.vhd-invalid',
      `${file} is ${size} bytes: a fixed VHD is a whole number of 512-byte sectors, its footer the last`,
      { file, size },
    );
  }
  const handle = await open(file, 'r');
  try {
    const footer = Buffer.alloc(PAGE_BYTES);
    await readFully(handle, footer, PAGE_BYTES, size - PAGE_BYTES);
    checkFooter(file, footer);
  } finally {
    await handle.close();
  }
}

function checkFooter(file: string, footer: Buffer): void {
  if (footer.toString('latin1', 0, FOOTER_COOKIE.length) !== FOOTER_COOKIE) {
    throw PipelineError.permanent(
      'image.vhd-invalid',
      `${file} has no VHD footer: its last 512 bytes do not start with "${FOOTER_COOKIE}"`,
      { file },
    );
  }
}

const changed = (file: string, how: string) =>
  PipelineError.transient('image.vhd-changed', `${file} ${how} while it was uploaded`, { file });

/** Runs an adapter call, retrying a transient `PipelineError` with exponential back-off. */
function retrier(attempts: number, firstDelayMs: number) {
  return async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await call();
      } catch (error) {
        const transient = error instanceof PipelineError && error.retryable;
        if (!transient || attempt >= attempts) throw error;
        await sleep(firstDelayMs * 2 ** (attempt - 1));
      }
    }
  };
}

/**
 * `work` over `items`, at most `limit` at a time, in order of start. After a failure no new item starts; the
 * ones in flight settle before the first failure is thrown.
 */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

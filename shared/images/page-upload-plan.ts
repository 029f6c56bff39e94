import { mergeRanges, rangeLength, splitRanges, subtractRanges } from './byte-ranges';
import type { ByteRange } from './byte-ranges';

/** Page blobs are written in whole 512-byte pages; a fixed VHD is whole sectors of the same size. */
export const PAGE_BYTES = 512;

/** The largest Put Page request Azure accepts (Azurite accepts more: the uploader must not rely on that). */
export const MAX_PAGE_WRITE_BYTES = 4 * 1024 * 1024;

export interface PageUploadPlan {
  /** What to send before the footer, in file order: each 512-byte aligned, at most 4 MiB, never all zeros. */
  readonly writes: readonly ByteRange[];
  /** The footer (the last sector), always sent last: a blob with it has everything before it. */
  readonly footer: ByteRange;
  /** The file's data cut into requests: how many and how many bytes the blob already holds whole. */
  readonly skippedRanges: number;
  readonly skippedBytes: number;
  /** The file's non-zero bytes before the footer. */
  readonly dataBytes: number;
}

/**
 * What to send of a fixed VHD of `size` bytes whose non-zero sectors are `dataRanges`, to a page blob that
 * already holds `written` (its page ranges; none for a new blob). The data before the footer is cut into
 * requests of at most 4 MiB; a request the blob holds whole is skipped, one it holds in part sends only the
 * missing part. The footer is planned apart and always sent, after everything else: a VHD whose footer is in
 * place is complete, so an interrupted upload never looks like a finished one.
 */
export function planPageUpload(
  size: number,
  dataRanges: readonly ByteRange[],
  written: readonly ByteRange[] = [],
): PageUploadPlan {
  const footer = { start: size - PAGE_BYTES, end: size };
  const body = subtractRanges(dataRanges, [footer]).filter((r) => r.start < footer.start);
  const writes: ByteRange[] = [];
  let skippedRanges = 0;
  let skippedBytes = 0;
  const have = mergeRanges(written);
  for (const piece of splitRanges(body, MAX_PAGE_WRITE_BYTES)) {
    const missing = subtractRanges([piece], have);
    if (missing.length === 0) {
      skippedRanges += 1;
      skippedBytes += rangeLength(piece);
    } else {
      writes.push(...missing);
      skippedBytes += rangeLength(piece) - missing.reduce((sum, r) => sum + rangeLength(r), 0);
    }
  }
  const dataBytes = body.reduce((sum, r) => sum + rangeLength(r), 0);
  return { writes, footer, skippedRanges, skippedBytes, dataBytes };
}

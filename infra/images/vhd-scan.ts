import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { PipelineError } from '../../shared/errors';
import { mergeRanges } from '../../shared/images/byte-ranges';
import type { ByteRange } from '../../shared/images/byte-ranges';
import { PAGE_BYTES } from '../../shared/images/page-upload-plan';
import { readFully } from '../os/read-fully';

/** Read size of the scan: large reads keep a sparse file's holes cheap, and it is a whole number of granules. */
const READ_BYTES = 8 * 1024 * 1024;
/** Checked whole first, so runs of zeros cost one native compare instead of one per sector. */
const GRANULE_BYTES = 64 * 1024;
const ZERO_GRANULE = Buffer.alloc(GRANULE_BYTES);

export interface VhdScan {
  readonly size: number;
  /** SHA-256 of the whole file, lower-case hex. */
  readonly sha256: string;
  /** The 512-byte sectors that hold anything but zeros, merged into ranges. */
  readonly dataRanges: readonly ByteRange[];
  /** Modification time when the scan started: the upload checks the file did not change since. */
  readonly mtimeMs: number;
}

/**
 * Reads the whole file once, in order: its SHA-256 and where its non-zero sectors are. Knowing both before the
 * first page is sent is what lets an interrupted upload be recognised (the digest is on the blob from the
 * start) and what keeps zeros off the wire. `size` must already be a whole number of sectors.
 */
export async function scanVhd(
  file: string,
  onBytes?: (bytesDone: number, bytesTotal: number) => void,
): Promise<VhdScan> {
  const handle = await open(file, 'r');
  try {
    const { size, mtimeMs } = await handle.stat();
    const hash = createHash('sha256');
    const ranges: ByteRange[] = [];
    // Two buffers: the next block is read (on libuv's threads) while this one is hashed and scanned.
    const buffers = [Buffer.allocUnsafe(READ_BYTES), Buffer.allocUnsafe(READ_BYTES)] as const;
    const readAt = (position: number, index: number) =>
      readFully(handle, buffers[index % 2] as Buffer, Math.min(READ_BYTES, size - position), position);
    let pending = size > 0 ? readAt(0, 0) : undefined;
    for (let position = 0, index = 0; pending; index += 1) {
      const length = await pending;
      if (length === 0) {
        throw PipelineError.transient('image.vhd-changed', `${file} became shorter while it was read`, {
          file,
          size,
          position,
        });
      }
      const next = position + length;
      pending = next < size ? readAt(next, index + 1) : undefined;
      const block = (buffers[index % 2] as Buffer).subarray(0, length);
      hash.update(block);
      collectDataSectors(block, position, ranges);
      position = next;
      onBytes?.(position, size);
    }
    return { size, sha256: hash.digest('hex'), dataRanges: mergeRanges(ranges), mtimeMs };
  } finally {
    await handle.close();
  }
}

/** Appends the non-zero sectors of `block` (which starts at file offset `offset`) to `ranges`. */
function collectDataSectors(block: Buffer, offset: number, ranges: ByteRange[]): void {
  for (let granule = 0; granule < block.length; granule += GRANULE_BYTES) {
    const granuleEnd = Math.min(block.length, granule + GRANULE_BYTES);
    if (block.compare(ZERO_GRANULE, 0, granuleEnd - granule, granule, granuleEnd) === 0) continue;
    for (let sector = granule; sector < granuleEnd; sector += PAGE_BYTES) {
      if (block.compare(ZERO_GRANULE, 0, PAGE_BYTES, sector, sector + PAGE_BYTES) === 0) continue;
      const start = offset + sector;
      const last = ranges[ranges.length - 1];
      if (last && last.end === start)
        ranges[ranges.length - 1] = { start: last.start, end: start + PAGE_BYTES };
      else ranges.push({ start, end: start + PAGE_BYTES });
    }
  }
}

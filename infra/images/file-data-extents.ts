import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A byte range of a file that may hold data. */
export interface DataExtent {
  readonly start: number;
  readonly length: number;
}

/**
 * Where a file of `size` bytes may hold data: outside these ranges it is known to read as zero (holes of a
 * sparse file). Only an optimisation for the disk writer, which still skips zero blocks inside the ranges,
 * so an answer of "all of it" is always correct, only slower.
 */
export type DataExtentsOf = (path: string, size: number) => Promise<readonly DataExtent[]>;

/** Every byte may hold data: read the whole file. */
export const wholeFile: DataExtentsOf = (_path, size) =>
  Promise.resolve(size === 0 ? [] : [{ start: 0, length: size }]);

interface QemuImgMapEntry {
  start: number;
  length: number;
  data: boolean;
}

/**
 * The data ranges as `qemu-img map` finds them: it asks the file system (`SEEK_DATA`/`SEEK_HOLE`), which Node
 * cannot, so the holes of a 5 GiB partition image that holds 1 GiB are never read. A `mkfs.ext4` image is
 * such a file. When qemu-img is missing or fails, the whole file is read (see `DataExtentsOf`).
 */
export function qemuImgDataExtents(qemuImg = 'qemu-img'): DataExtentsOf {
  return async (path, size) => {
    let entries: QemuImgMapEntry[];
    try {
      const { stdout } = await run(qemuImg, ['map', '-f', 'raw', '--output=json', path], {
        maxBuffer: 64 * 1024 * 1024,
      });
      entries = JSON.parse(stdout) as QemuImgMapEntry[];
    } catch {
      return wholeFile(path, size);
    }
    const extents: DataExtent[] = [];
    for (const entry of entries) {
      if (!entry.data) continue;
      const last = extents.at(-1);
      if (last && last.start + last.length === entry.start) {
        extents[extents.length - 1] = { start: last.start, length: last.length + entry.length };
      } else {
        extents.push({ start: entry.start, length: entry.length });
      }
    }
    return extents;
  };
}

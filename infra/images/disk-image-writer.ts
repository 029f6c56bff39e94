import { open, rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { PipelineError } from '../../shared/errors';
import { fixedVhdFooter } from '../../shared/images/disk';
import type { GptDisk, GptPartitionLayout } from '../../shared/images/disk';
import { insertHole } from './file-insert-range';
import { qemuImgDataExtents } from './file-data-extents';
import type { DataExtent, DataExtentsOf } from './file-data-extents';

/**
 * Writes a disk image file from a GPT (`shared/images/disk/gpt.ts`) and the images of its partitions (an
 * ext4 made by `mkfs.ext4 -d`, a FAT made by `mkfs.vfat` + `mcopy`, …), then, for a fixed VHD, the footer.
 *
 * The file stays sparse: it is sized with `ftruncate` and only blocks holding data are written, so a 5 GiB
 * disk holding 1 GiB costs 1 GiB of writes and of disk space. Partition images are streamed through a few
 * 4 MiB buffers, only their data extents are read (the holes of a sparse image are passed over, see
 * `file-data-extents.ts`) and their all-zero 4 KiB blocks are skipped (a fresh file reads zero there
 * already); nothing the size of the disk is ever held in memory.
 *
 * Where the time goes (bench/vhd-write.ts, 5 GiB disk, 1 GiB of data, all in the page cache): writing the
 * data into the new file is most of it (page allocation and copy in the kernel, one writer at a time per
 * file), reading it back from the images a fifth of that, and the rest was overhead this file keeps small:
 * the `qemu-img map` spawns run together and beside the GPT writes, reads run ahead of the writes, and the
 * zero test costs one byte compare per data block instead of two buffer views and a native call. That is
 * about what `qemu-img convert` costs (it copies the same bytes the same way); what beats it is not copying:
 * a partition image given as `movable` (the builder's temporary root file system) becomes the VHD file itself.
 */

/** The image file to put into one partition of the GPT, found by the partition's name. */
export interface PartitionContent {
  readonly partition: string;
  readonly imagePath: string;
  /**
   * The image is a temporary the fixed VHD may be made of (`writeFixedVhd` only, see `moveIntoDisk`): it is
   * renamed to the output and its partition's offset inserted before it as a hole, so its data is never
   * copied. It is gone afterwards, whether the write succeeds or fails, unless it could not be moved (another
   * file system, or one without insert-range) and was copied as any other. At most one content is moved.
   */
  readonly movable?: boolean;
}

export interface DiskImagePlan {
  readonly gpt: GptDisk;
  readonly contents: readonly PartitionContent[];
  /** Called after each chunk of the partition images, for a progress bar (the CLI's long steps). */
  readonly onProgress?: (progress: DiskWriteProgress) => void;
  /** Where the partition images may hold data; default: `qemu-img map`, else the whole files. */
  readonly dataExtents?: DataExtentsOf;
}

export interface DiskWriteProgress {
  /** Bytes of the partition images dealt with so far: copied, skipped as zero, or holes passed over. */
  readonly bytesDone: number;
  /** The partition images' total size. */
  readonly bytesTotal: number;
}

export interface DiskWriteResult {
  /** The disk's size (the VHD's virtual size): the GPT's disk size. */
  readonly diskSize: number;
  /** The file's size: the disk, plus the 512-byte footer for a VHD. */
  readonly fileSize: number;
  /** Bytes actually written: the GPT, the non-zero blocks of the partition images and any footer. */
  readonly bytesWritten: number;
  /** Size of the partition image moved into the disk instead of copied (`movable`); 0 when none was. */
  readonly bytesMoved: number;
}

const CHUNK_SIZE = 4 * 1024 * 1024;
/**
 * Chunk reads in flight or waiting to be written: reads run ahead while the (slower, serialised) writes of
 * earlier chunks go on, as `qemu-img convert` keeps several requests in flight.
 */
const READ_AHEAD = 4;
/** The granularity of the zero test: a file system block, and the page size of the file's own file system. */
const BLOCK_SIZE = 4096;
const ZERO_BLOCK = Buffer.alloc(BLOCK_SIZE);
const ZERO_CHUNK = Buffer.alloc(CHUNK_SIZE);

/** A raw disk at `path` (replacing any file there): the GPT, each partition's image in its place, holes elsewhere. */
export async function writeRawDisk(path: string, plan: DiskImagePlan): Promise<DiskWriteResult> {
  const placed = await placeContents(plan);
  const file = await open(path, 'w');
  try {
    const bytesWritten = await writeDisk(file, plan, placed);
    return {
      diskSize: plan.gpt.layout.diskSize,
      fileSize: plan.gpt.layout.diskSize,
      bytesWritten,
      bytesMoved: 0,
    };
  } finally {
    await file.close();
  }
}

export interface FixedVhdOptions {
  /** The footer's time stamp. */
  readonly createdAt: Date;
  /** The footer's unique id (a UUID). */
  readonly uniqueId: string;
}

/**
 * A fixed VHD at `path`: the raw disk of `writeRawDisk` and the footer after it. It is written beside `path`
 * (`<path>.partial`) and renamed into place when complete, so `path` never holds half a disk; a failure
 * removes the partial file.
 */
export async function writeFixedVhd(
  path: string,
  plan: DiskImagePlan,
  options: FixedVhdOptions,
): Promise<DiskWriteResult> {
  const { diskSize } = plan.gpt.layout;
  const footer = fixedVhdFooter({ size: diskSize, createdAt: options.createdAt, uniqueId: options.uniqueId });
  const placed = await placeContents(plan);
  const partial = `${path}.partial`;
  try {
    const moved = await moveIntoDisk(placed, partial);
    const file = await open(partial, moved ? 'r+' : 'w');
    let bytesWritten: number;
    try {
      bytesWritten = await writeDisk(file, plan, placed, moved);
      await writeAll(file, footer, diskSize);
      bytesWritten += footer.length;
    } finally {
      await file.close();
    }
    await rename(partial, path);
    return { diskSize, fileSize: diskSize + footer.length, bytesWritten, bytesMoved: moved?.imageSize ?? 0 };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
}

/**
 * Appends the fixed VHD footer to the raw disk at `path`, which must be exactly the disk (a whole MiB):
 * the raw disk becomes the VHD.
 */
export async function appendVhdFooter(path: string, options: FixedVhdOptions): Promise<DiskWriteResult> {
  const { size } = await stat(path);
  const footer = fixedVhdFooter({ size, createdAt: options.createdAt, uniqueId: options.uniqueId });
  const file = await open(path, 'r+');
  try {
    await writeAll(file, footer, size);
  } finally {
    await file.close();
  }
  return { diskSize: size, fileSize: size + footer.length, bytesWritten: footer.length, bytesMoved: 0 };
}

interface PlacedContent {
  readonly partition: GptPartitionLayout;
  readonly imagePath: string;
  readonly imageSize: number;
  readonly movable: boolean;
}

/** Each content with its partition, checked before anything is written: the partition exists, the image fits. */
async function placeContents(plan: DiskImagePlan): Promise<PlacedContent[]> {
  const byName = new Map(plan.gpt.layout.partitions.map((p) => [p.name, p]));
  const seen = new Set<string>();
  const placed: PlacedContent[] = [];
  for (const content of plan.contents) {
    const partition = byName.get(content.partition);
    if (!partition) {
      throw PipelineError.permanent(
        'image.disk-layout-invalid',
        `the disk has no partition named "${content.partition}" for ${content.imagePath}`,
        { partition: content.partition, imagePath: content.imagePath },
      );
    }
    if (seen.has(content.partition)) {
      throw PipelineError.permanent(
        'image.disk-layout-invalid',
        `two images are given for partition "${content.partition}"`,
        { partition: content.partition },
      );
    }
    seen.add(content.partition);
    const { size } = await stat(content.imagePath);
    if (size > partition.size) {
      throw PipelineError.permanent(
        'image.partition-image-too-large',
        `${content.imagePath} (${size} bytes) does not fit partition "${partition.name}" (${partition.size} bytes)`,
        {
          partition: partition.name,
          imagePath: content.imagePath,
          imageSize: size,
          partitionSize: partition.size,
        },
      );
    }
    placed.push({
      partition,
      imagePath: content.imagePath,
      imageSize: size,
      movable: content.movable === true,
    });
  }
  return placed;
}

/**
 * Makes `target` (the partial VHD) of the largest `movable` content's image, without copying its data: the
 * image is renamed to `target` and `fallocate --insert-range` puts a hole of its partition's offset before
 * it, a change of the file's extent map (ext4, XFS) that takes milliseconds whatever the size. Returns the
 * content moved, or `undefined` when none is movable or the move cannot be done here (the image on another
 * file system than `target`, a file system without insert-range, an offset that is not a whole number of
 * its blocks): the image is then where it was, and is copied like the others.
 */
async function moveIntoDisk(
  contents: readonly PlacedContent[],
  target: string,
): Promise<PlacedContent | undefined> {
  const movable = contents
    .filter((content) => content.movable && content.imageSize > 0)
    .sort((a, b) => b.imageSize - a.imageSize)[0];
  if (!movable) return undefined;
  try {
    await rename(movable.imagePath, target);
  } catch {
    return undefined;
  }
  try {
    await insertHole(target, movable.partition.offset);
    return movable;
  } catch {
    await rename(target, movable.imagePath);
    return undefined;
  }
}

async function writeDisk(
  file: FileHandle,
  { gpt, onProgress, dataExtents = qemuImgDataExtents() }: DiskImagePlan,
  placed: readonly PlacedContent[],
  moved?: PlacedContent,
): Promise<number> {
  // The moved image is in place already; the disk is written around it.
  const contents = placed.filter((content) => content !== moved);
  // Every image's extents are asked for at once (each may be a `qemu-img map` process) while the GPT is written.
  const extents = contents.map((content) => dataExtents(content.imagePath, content.imageSize));
  // Handled from the start: a lookup that fails while an earlier step is awaited is no unhandled rejection.
  const lookupsSettled = Promise.allSettled(extents);
  try {
    await file.truncate(gpt.layout.diskSize);
    let bytesWritten = 0;
    for (const region of gpt.regions) {
      await writeAll(file, region.bytes, region.offset);
      bytesWritten += region.bytes.length;
    }
    const bytesTotal = placed.reduce((sum, content) => sum + content.imageSize, 0);
    let bytesBefore = moved?.imageSize ?? 0;
    if (moved) onProgress?.({ bytesDone: bytesBefore, bytesTotal });
    for (const [index, content] of contents.entries()) {
      const chunks = chunksOf(await extents[index]!, content.imageSize);
      bytesWritten += await copySkippingZeros(content, chunks, file, (position) =>
        onProgress?.({ bytesDone: bytesBefore + position, bytesTotal }),
      );
      bytesBefore += content.imageSize;
    }
    return bytesWritten;
  } finally {
    // No lookup is left running (a `qemu-img map` process) once the writer has returned or failed.
    await lookupsSettled;
  }
}

/**
 * Copies `chunks` of `content`'s image (its data extents, cut to size) into its partition of `target`,
 * leaving out all-zero blocks; returns the bytes written. Up to `READ_AHEAD` chunks are read ahead of the
 * one being written, each into its own buffer. `onDone` hears how far into the image the copy is (holes
 * count as done).
 */
async function copySkippingZeros(
  content: PlacedContent,
  chunks: readonly Chunk[],
  target: FileHandle,
  onDone: (position: number) => void,
): Promise<number> {
  const { imagePath, imageSize, partition } = content;
  const source = await open(imagePath, 'r');
  const depth = Math.min(READ_AHEAD, chunks.length);
  const buffers = Array.from({ length: depth }, () => Buffer.allocUnsafe(CHUNK_SIZE));
  const reads: Array<Promise<{ bytesRead: number }> | undefined> = [];
  const startRead = (index: number) => {
    const chunk = chunks[index]!;
    const read = source.read(buffers[index % depth]!, 0, chunk.length, chunk.position);
    // A read that fails while earlier chunks are written is no unhandled rejection; awaited, it still throws.
    read.catch(() => undefined);
    reads[index % depth] = read;
  };
  for (let index = 0; index < depth; index++) startRead(index);
  let written = 0;
  let done = 0;
  const report = (position: number) => {
    if (position > done) onDone((done = position));
  };
  try {
    for (let index = 0; index < chunks.length; index++) {
      // A short read means the file shrank under us: what is gone reads as zero.
      const { bytesRead } = await reads[index % depth]!;
      reads[index % depth] = undefined;
      const buffer = buffers[index % depth]!;
      const chunk = chunks[index]!;
      for (const [from, to] of nonZeroRuns(buffer, bytesRead)) {
        await writeAll(target, buffer.subarray(from, to), partition.offset + chunk.position + from);
        written += to - from;
      }
      // Only now is this buffer free for the read `depth` chunks on.
      if (index + depth < chunks.length) startRead(index + depth);
      report(chunk.position + chunk.length);
    }
    report(imageSize); // a hole at the end
  } finally {
    // Never close under a read in flight.
    await Promise.allSettled(reads.filter((read) => read !== undefined));
    await source.close();
  }
  return written;
}

interface Chunk {
  readonly position: number;
  readonly length: number;
}

/** The extents, clipped to the file, cut into reads of at most `CHUNK_SIZE`. */
function chunksOf(extents: readonly DataExtent[], size: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (const extent of extents) {
    const end = Math.min(extent.start + extent.length, size);
    for (let position = extent.start; position < end; position += CHUNK_SIZE) {
      chunks.push({ position, length: Math.min(CHUNK_SIZE, end - position) });
    }
  }
  return chunks;
}

/**
 * The runs `[from, to)` of `buffer[0, length)` that hold data, in whole `BLOCK_SIZE` blocks (the last may be
 * short). A block whose first or last byte is not zero holds data without a compare: data blocks, most of
 * what the extents hold, cost two byte reads; only the others are compared whole.
 */
function nonZeroRuns(buffer: Buffer, length: number): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  // A chunk of zeros (inode tables, zeroed journal) is one native compare, not one per block.
  if (buffer[0] === 0 && buffer.compare(ZERO_CHUNK, 0, length, 0, length) === 0) return runs;
  let start = -1;
  for (let at = 0; at < length; at += BLOCK_SIZE) {
    const end = Math.min(at + BLOCK_SIZE, length);
    const zero =
      buffer[at] === 0 && buffer[end - 1] === 0 && buffer.compare(ZERO_BLOCK, 0, end - at, at, end) === 0;
    if (!zero && start < 0) start = at;
    if (zero && start >= 0) {
      runs.push([start, at]);
      start = -1;
    }
  }
  if (start >= 0) runs.push([start, length]);
  return runs;
}

/** `write` may write less than asked; this writes all of `bytes` at `position`. */
async function writeAll(file: FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let done = 0; done < bytes.length;) {
    const { bytesWritten } = await file.write(bytes, done, bytes.length - done, position + done);
    done += bytesWritten;
  }
}

import type { FileHandle } from 'node:fs/promises';

/**
 * Reads `length` bytes at `position` into `buffer`, however many reads that takes; fewer only at the end of
 * the file. Returns how many were read.
 */
export async function readFully(
  handle: FileHandle,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<number> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buffer, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return done;
}

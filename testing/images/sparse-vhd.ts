import { open } from 'node:fs/promises';
import { mulberry32 } from '../seeded-random';

/** Bytes of seeded noise at `offset`; `length` need not be whole sectors. */
export interface DataExtent {
  readonly offset: number;
  readonly length: number;
}

const WRITE_CHUNK = 8 * 1024 * 1024;

/**
 * A sparse file of `size` bytes that looks like a fixed VHD to the uploader: zeros (holes) except for seeded
 * noise over `extents` and a last sector that starts with the `conectix` cookie. Written in chunks, so a
 * 5 GiB disk with 1 GiB of data needs no more memory than a chunk. Noise bytes are never zero, so every
 * sector an extent touches holds data.
 */
export async function writeSparseVhd(
  path: string,
  size: number,
  extents: readonly DataExtent[],
  seed = 1,
): Promise<void> {
  const random = mulberry32(seed);
  const handle = await open(path, 'w');
  try {
    await handle.truncate(size);
    for (const extent of extents) {
      for (let done = 0; done < extent.length; done += WRITE_CHUNK) {
        const chunk = noise(Math.min(WRITE_CHUNK, extent.length - done), random);
        await handle.write(chunk, 0, chunk.length, extent.offset + done);
      }
    }
    const footer = noise(512, random);
    footer.write('conectix', 0, 'latin1');
    await handle.write(footer, 0, footer.length, size - 512);
  } finally {
    await handle.close();
  }
}

/** Overwrites `extent` of an existing file with seeded noise. */
export async function fillExtent(path: string, extent: DataExtent, seed = 1): Promise<void> {
  const random = mulberry32(seed);
  const handle = await open(path, 'r+');
  try {
    for (let done = 0; done < extent.length; done += WRITE_CHUNK) {
      const chunk = noise(Math.min(WRITE_CHUNK, extent.length - done), random);
      await handle.write(chunk, 0, chunk.length, extent.offset + done);
    }
  } finally {
    await handle.close();
  }
}

/** Overwrites `extent` with zeros (a hole's worth of zeros, not a hole). */
export async function zeroExtent(path: string, extent: DataExtent): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.write(Buffer.alloc(extent.length), 0, extent.length, extent.offset);
  } finally {
    await handle.close();
  }
}

function noise(length: number, random: () => number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  for (let i = 0; i < length; i += 4) {
    const word = Math.floor(random() * 0x1_0000_0000) | 0x01010101;
    for (let b = 0; b < 4 && i + b < length; b += 1) bytes[i + b] = (word >>> (8 * b)) & 0xff;
  }
  return bytes;
}

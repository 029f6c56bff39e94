import { createHash } from 'node:crypto';
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** The gzip member header createrepo_c's zlib writes: no name, mtime 0, default level, OS = Unix. */
const GZIP_HEADER = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03);
/** An empty final fixed-Huffman block: ends the deflate stream after the last segment. */
const FINAL_BLOCK = Uint8Array.of(0x03, 0x00);
const LEVEL = 6;

interface CompressedSegment {
  deflated: Uint8Array;
  used: number;
}

/**
 * Compressed segments kept between regenerations of a repository's metadata. A segment's deflate output
 * depends only on its text (each segment is compressed on its own, ending at a byte boundary with a sync
 * flush), so an unchanged segment is reused as is: after one package is added only its segment is
 * compressed again. Segments not used by the latest document are dropped.
 */
export class SegmentCache {
  private readonly segments = new Map<string, CompressedSegment>();
  private generation = 0;

  /** @internal */
  deflate(raw: Uint8Array): Uint8Array {
    const key = createHash('sha1').update(raw).digest('base64');
    const hit = this.segments.get(key);
    if (hit) {
      hit.used = this.generation;
      return hit.deflated;
    }
    const deflated = deflateSegment(raw);
    this.segments.set(key, { deflated, used: this.generation });
    return deflated;
  }

  /** @internal Starts a document: segments that the previous one did not use are forgotten. */
  startGeneration(): void {
    for (const [key, segment] of this.segments) if (segment.used < this.generation) this.segments.delete(key);
    this.generation++;
  }

  get size(): number {
    return this.segments.size;
  }
}

export interface GzipDocument {
  gzip: Uint8Array;
  /** sha256 hex of the compressed and of the uncompressed bytes, and their sizes. */
  checksum: string;
  openChecksum: string;
  size: number;
  openSize: number;
}

const deflateSegment = (raw: Uint8Array): Uint8Array =>
  deflateRawSync(raw, { level: LEVEL, finishFlush: constants.Z_SYNC_FLUSH });

/**
 * One gzip member from text segments: each segment deflated separately (reused from `cache` when its text
 * is unchanged) and the deflate streams joined, which is a valid single deflate stream (like pigz output),
 * then the CRC-32 and length trailer. Any gzip reader (zlib, dnf/libsolv, createrepo_c) reads it.
 */
export function gzipSegments(segments: readonly string[], cache?: SegmentCache): GzipDocument {
  cache?.startGeneration();
  const open = createHash('sha256');
  const parts: Uint8Array[] = [GZIP_HEADER];
  let crc = 0;
  let openSize = 0;
  for (const segment of segments) {
    if (segment === '') continue;
    const raw = Buffer.from(segment, 'utf8');
    open.update(raw);
    crc = crc32(raw, crc);
    openSize += raw.length;
    parts.push(cache && raw.length > 4096 ? cache.deflate(raw) : deflateSegment(raw));
  }
  const trailer = new Uint8Array(8);
  const view = new DataView(trailer.buffer);
  view.setUint32(0, crc >>> 0, true);
  view.setUint32(4, openSize % 0x1_0000_0000, true);
  parts.push(FINAL_BLOCK, trailer);
  const gzip = Buffer.concat(parts);
  return {
    gzip,
    checksum: createHash('sha256').update(gzip).digest('hex'),
    openChecksum: open.digest('hex'),
    size: gzip.length,
    openSize,
  };
}

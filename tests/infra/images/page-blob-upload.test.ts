import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { uploadFixedVhd } from '../../../infra/images/page-blob-upload';
import type { FixedVhdUploaded } from '../../../infra/images/page-blob-upload';
import type { PageBlobContainer } from '../../../infra/images/page-blob-port';
import { sdkPageBlobContainer } from '../../../infra/images/sdk-page-blob';
import { ensureCatalogueContainer } from '../../../infra/storage/catalogue-container';
import { mergeRanges, subtractRanges, totalLength } from '../../../shared/images/byte-ranges';
import type { ByteRange } from '../../../shared/images/byte-ranges';
import { imagesContainer } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { failure } from '../../../testing/failures';
import { crashAfterWrites, recordingContainer } from '../../../testing/images/page-blobs';
import { fillExtent, writeSparseVhd, zeroExtent } from '../../../testing/images/sparse-vhd';
import type { DataExtent } from '../../../testing/images/sparse-vhd';
import { useTempDir } from '../../../testing/temp-dirs';

const MiB = 1024 * 1024;
const SIZE = 64 * MiB + 512;

/** A few MiB scattered over 64 MiB: one extent over 4 MiB, unaligned ends, one sector at the very start. */
const EXTENTS: readonly DataExtent[] = [
  { offset: 0, length: 100 },
  { offset: 3 * MiB + 700, length: 9 * MiB + 3000 },
  { offset: 20 * MiB, length: 512 },
  { offset: 33 * MiB - 4096, length: 1 * MiB },
  { offset: 63 * MiB, length: 64 * 1024 + 1 },
];

/** The sectors the extents touch (noise is never zero), plus the footer: the ranges the blob must hold. */
const sectorsOf = (extents: readonly DataExtent[]): ByteRange[] =>
  mergeRanges([
    ...extents.map(({ offset, length }) => ({
      start: Math.floor(offset / 512) * 512,
      end: Math.ceil((offset + length) / 512) * 512,
    })),
    { start: SIZE - 512, end: SIZE },
  ]);

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function downloadAnonymously(url: string): Promise<Buffer> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

function expectWritesWithinLimits(writes: readonly ByteRange[], file: Buffer): void {
  for (const write of writes) {
    expect(write.start % 512).toBe(0);
    expect(write.end % 512).toBe(0);
    expect(write.end - write.start).toBeGreaterThan(0);
    expect(write.end - write.start).toBeLessThanOrEqual(4 * MiB);
    // No write carries a sector of zeros: every one of its sectors holds data.
    for (let sector = write.start; sector < write.end; sector += 512) {
      expect(file.subarray(sector, sector + 512).some((byte) => byte !== 0)).toBe(true);
    }
  }
}

describe('uploadFixedVhd on Azurite', () => {
  const azurite = useAzurite();
  const dir = useTempDir('azl-vhd-upload-');
  let images: PageBlobContainer;
  let vhd: string;
  let bytes: Buffer;

  beforeAll(async () => {
    const name = azurite.name('images');
    await ensureCatalogueContainer(azurite.blobs, imagesContainer, name);
    images = sdkPageBlobContainer({ connectionString: azurite.connectionString }, name);
    vhd = join(dir, 'disk.vhd');
    await writeSparseVhd(vhd, SIZE, EXTENTS);
    bytes = await readFile(vhd);
  });

  test('sends only the non-zero sectors, in writes of at most 4 MiB, the footer last; a URL downloads it whole', async () => {
    const recorded = recordingContainer(images);
    const progress: number[] = [];
    const result = await uploadFixedVhd({
      file: vhd,
      container: recorded.container,
      blobName: imagesContainer.vhdBlobName('demo', '1'),
      metadata: { image: 'demo' },
      parallelism: 3,
      onProgress: (p) => progress.push(p.bytesSent),
    });

    const expected = sectorsOf(EXTENTS);
    expect(result).toMatchObject<Partial<FixedVhdUploaded>>({
      outcome: 'created',
      size: SIZE,
      sha256: sha256(bytes),
      bytesSent: totalLength(expected),
      rangesSkipped: 0,
    });
    expect(result.url).toMatch(/\/demo\/1\/demo-1\.vhd$/);
    const writes = recorded.writes();
    expectWritesWithinLimits(writes, bytes);
    expect(writes.at(-1)).toEqual({ start: SIZE - 512, end: SIZE });
    expect(mergeRanges(writes)).toEqual(expected);
    expect(result.rangesSent).toBe(writes.length);
    expect(writes.length).toBeGreaterThan(EXTENTS.length + 1); // the 9 MiB extent took three writes
    expect(progress.at(-1)).toBe(result.bytesSent);
    // `complete` is set once, after the footer.
    expect(recorded.calls.at(-1)).toMatchObject({
      op: 'setMetadata',
      metadata: { image: 'demo', sha256: sha256(bytes), sourcesize: String(SIZE), complete: 'true' },
    });

    const blob = images.pageBlob(imagesContainer.vhdBlobName('demo', '1'));
    expect(mergeRanges(await blob.pageRanges())).toEqual(expected);
    const downloaded = await downloadAnonymously(result.url);
    expect(downloaded.length).toBe(SIZE);
    expect(downloaded.equals(bytes)).toBe(true);

    // Uploading the same file again finds it complete and sends nothing.
    const again = recordingContainer(images);
    const second = await uploadFixedVhd({
      file: vhd,
      container: again.container,
      blobName: 'demo/1/demo-1.vhd',
    });
    expect(second).toMatchObject({
      outcome: 'complete',
      bytesSent: 0,
      rangesSent: 0,
      rangesSkipped: result.rangesSent - 1,
      bytesSkipped: result.bytesSent - 512,
    });
    expect(again.calls).toEqual([]);
  });

  test('after a crash mid-upload, a second run sends only what was missing and the footer', async () => {
    const blobName = imagesContainer.vhdBlobName('crash', '1');
    const crashing = recordingContainer(images, { failWrite: crashAfterWrites(4) });
    const crash = await failure(
      uploadFixedVhd({ file: vhd, container: crashing.container, blobName, parallelism: 2 }),
    );
    expect(crash.code).toBe('storage.failed');
    const blob = images.pageBlob(blobName);
    const left = await blob.properties();
    expect(left?.metadata).toMatchObject({ sha256: sha256(bytes), sourcesize: String(SIZE) });
    expect(left?.metadata['complete']).toBeUndefined();
    const written = mergeRanges(await blob.pageRanges());
    expect(written).toEqual(mergeRanges(crashing.writes()));
    expect(totalLength(written)).toBeGreaterThan(0);
    expect(written.some((r) => r.end === SIZE)).toBe(false);

    const resuming = recordingContainer(images);
    const result = await uploadFixedVhd({
      file: vhd,
      container: resuming.container,
      blobName,
      parallelism: 2,
    });
    const expected = sectorsOf(EXTENTS);
    const missing = subtractRanges(expected, written);
    expect(result.outcome).toBe('resumed');
    expect(resuming.calls.filter((c) => c.op === 'create')).toEqual([]);
    expect(mergeRanges(resuming.writes())).toEqual(missing);
    expect(subtractRanges(resuming.writes(), missing)).toEqual([]); // nothing written is sent again
    expect(result.bytesSent).toBe(totalLength(missing));
    expect(result.rangesSkipped).toBe(4);
    expect(resuming.writes().at(-1)).toEqual({ start: SIZE - 512, end: SIZE });
    expectWritesWithinLimits(resuming.writes(), bytes);
    expect((await blob.properties())?.metadata['complete']).toBe('true');
    expect((await downloadAnonymously(result.url)).equals(bytes)).toBe(true);
  });

  test('a changed file replaces the blob: what the old file had and the new one lacks is gone', async () => {
    const blobName = imagesContainer.vhdBlobName('changed', '1');
    const file = join(dir, 'changed.vhd');
    await writeSparseVhd(file, SIZE, EXTENTS, 2);
    await uploadFixedVhd({ file, container: images, blobName });

    const removed = EXTENTS[1] as DataExtent;
    const added: DataExtent = { offset: 45 * MiB, length: 2 * MiB };
    await zeroExtent(file, removed);
    await fillExtent(file, added, 3);
    const changedBytes = await readFile(file);

    const recorded = recordingContainer(images);
    const result = await uploadFixedVhd({ file, container: recorded.container, blobName });
    expect(result.outcome).toBe('replaced');
    expect(recorded.calls[0]).toEqual({ op: 'create', blob: blobName, size: SIZE });
    const remaining = [...EXTENTS.filter((e) => e !== removed), added];
    const blob = images.pageBlob(blobName);
    expect(mergeRanges(await blob.pageRanges())).toEqual(sectorsOf(remaining));
    expect((await blob.properties())?.metadata).toMatchObject({
      sha256: sha256(changedBytes),
      complete: 'true',
    });
    expect((await downloadAnonymously(result.url)).equals(changedBytes)).toBe(true);
  });

  test('the adapter refuses a write Azure would refuse, though Azurite would take it', async () => {
    const blob = images.pageBlob('limits/1/limits-1.vhd');
    await blob.create(8 * MiB + 512, {});
    for (const [offset, length] of [
      [0, 4 * MiB + 512],
      [100, 512],
      [0, 700],
    ] as const) {
      const error = await failure(blob.writePages(offset, Buffer.alloc(length, 1)));
      expect(error).toMatchObject({ code: 'image.page-range-invalid', retryable: false });
    }
    await blob.writePages(4 * MiB, Buffer.alloc(4 * MiB, 1));
    expect(await blob.pageRanges()).toEqual([{ start: 4 * MiB, end: 8 * MiB }]);
  });
});

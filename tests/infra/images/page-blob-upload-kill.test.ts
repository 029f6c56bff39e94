import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { uploadFixedVhd } from '../../../infra/images/page-blob-upload';
import type { PageBlobContainer } from '../../../infra/images/page-blob-port';
import { sdkPageBlobContainer } from '../../../infra/images/sdk-page-blob';
import { ensureCatalogueContainer } from '../../../infra/storage/catalogue-container';
import { mergeRanges, subtractRanges, totalLength } from '../../../shared/images/byte-ranges';
import type { ByteRange } from '../../../shared/images/byte-ranges';
import { imagesContainer } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { settledPageRanges, uploadKilledAfter } from '../../../testing/images/killable-upload';
import { recordingContainer } from '../../../testing/images/page-blobs';
import { writeSparseVhd } from '../../../testing/images/sparse-vhd';
import type { DataExtent } from '../../../testing/images/sparse-vhd';
import { useTempDir } from '../../../testing/temp-dirs';

// The upload runs in a child process from dist/: `npm run build` before this file.

const MiB = 1024 * 1024;
const SIZE = 96 * MiB + 512;
/** 48 MiB of data in eight 6 MiB extents: each is two writes (4 MiB and 2 MiB), sixteen writes in all. */
const EXTENTS: readonly DataExtent[] = Array.from({ length: 8 }, (_, i) => ({
  offset: i * 12 * MiB + 3 * MiB,
  length: 6 * MiB,
}));
const DATA = mergeRanges(EXTENTS.map(({ offset, length }) => ({ start: offset, end: offset + length })));
const FOOTER: ByteRange = { start: SIZE - 512, end: SIZE };

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('an upload process SIGKILLed mid-upload, then run again', () => {
  const azurite = useAzurite();
  const dir = useTempDir('azl-vhd-kill-');
  let container: string;
  let images: PageBlobContainer;
  let vhd: string;
  let bytes: Buffer;

  beforeAll(async () => {
    container = azurite.name('images');
    await ensureCatalogueContainer(azurite.blobs, imagesContainer, container);
    images = sdkPageBlobContainer({ connectionString: azurite.connectionString }, container);
    vhd = join(dir, 'disk.vhd');
    await writeSparseVhd(vhd, SIZE, EXTENTS);
    bytes = await readFile(vhd);
  });

  test('the second run sends only what the blob lacks, never a range over 4 MiB, and the blob is the file', async () => {
    const blobName = imagesContainer.vhdBlobName('killed', '1');
    const killed = await uploadKilledAfter(
      { file: vhd, connectionString: azurite.connectionString, container, blobName, parallelism: 2 },
      8 * MiB,
    );
    expect(killed.signal).toBe('SIGKILL');

    // What the killed process left: the data it was told was written (and maybe writes in flight), no
    // footer, the digest from the start and no `complete`.
    const blob = images.pageBlob(blobName);
    const left = await blob.properties();
    expect(left?.metadata).toMatchObject({ sha256: sha256(bytes), sourcesize: String(SIZE) });
    expect(left?.metadata['complete']).toBeUndefined();
    const written = await settledPageRanges(blob);
    expect(subtractRanges(killed.acknowledged, written)).toEqual([]);
    expect(totalLength(written)).toBeGreaterThanOrEqual(8 * MiB);
    expect(totalLength(written)).toBeLessThan(totalLength(DATA));
    expect(subtractRanges(written, DATA)).toEqual([]);

    const resuming = recordingContainer(images);
    const result = await uploadFixedVhd({
      file: vhd,
      container: resuming.container,
      blobName,
      parallelism: 2,
    });
    const sent = resuming.writes();
    expect(result.outcome).toBe('resumed');
    expect(resuming.calls.filter((call) => call.op === 'create')).toEqual([]);
    // Nothing the killed run wrote is sent again; together the two runs wrote the data and the footer.
    expect(sent.flatMap((range) => subtractRanges([range], written))).toEqual(sent);
    expect(mergeRanges([...written, ...sent])).toEqual(mergeRanges([...DATA, FOOTER]));
    expect(result.bytesSent).toBe(totalLength(DATA) - totalLength(written) + 512);
    expect(result.bytesSkipped).toBe(totalLength(written));
    expect(result.rangesSkipped).toBeGreaterThanOrEqual(killed.acknowledged.length);
    expect(sent.at(-1)).toEqual(FOOTER);
    for (const range of [...killed.acknowledged, ...sent]) {
      expect(range.end - range.start).toBeLessThanOrEqual(4 * MiB);
    }

    expect((await blob.properties())?.metadata).toMatchObject({ sha256: sha256(bytes), complete: 'true' });
    expect(mergeRanges(await blob.pageRanges())).toEqual(mergeRanges([...DATA, FOOTER]));
    const response = await fetch(result.url);
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true);
  });
});

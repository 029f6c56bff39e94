import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uploadFixedVhd } from '../infra/images/page-blob-upload';
import { sdkPageBlobContainer } from '../infra/images/sdk-page-blob';
import { scanVhd } from '../infra/images/vhd-scan';
import { startAzurite } from '../infra/local/azurite';
import { BlobStore } from '../infra/storage';
import { ensureCatalogueContainer } from '../infra/storage/catalogue-container';
import { MAX_PAGE_WRITE_BYTES } from '../shared/images/page-upload-plan';
import { imagesContainer } from '../shared/storage';
import { round, timed } from '../testing/measure';
import { measureResumeAfterKill } from './page-blob-resume';
import type { ResumeAfterKillFigures } from './page-blob-resume';
import { mulberry32 } from '../testing/seeded-random';
import { writeSparseVhd } from '../testing/images/sparse-vhd';
import type { DataExtent } from '../testing/images/sparse-vhd';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

export interface PageBlobUploadFigures {
  readonly diskGiB: number;
  /** Non-zero bytes of the disk, as the scan found them. */
  readonly dataMiB: number;
  /** Reading the whole disk once: SHA-256 and the non-zero sectors (part of the sparse upload's time). */
  readonly scanMs: number;
  /** `uploadFixedVhd`, scan included: what it sent, in how many writes, how fast. */
  readonly sparse: UploadFigures & { readonly parallelism: number };
  /** Every 4 MiB range in order, zeros included, one write at a time: the plain way. */
  readonly allPagesSequential: UploadFigures;
  /** The sparse upload in a child process, SIGKILLed partway, then run again to the end. */
  readonly resumeAfterKill: ResumeAfterKillFigures;
}

interface UploadFigures {
  readonly ms: number;
  readonly mibSent: number;
  readonly rangesSent: number;
  /** Disk size over wall time: how fast the disk as a whole reaches the blob. */
  readonly diskMiBPerSecond: number;
}

/** About `dataBytes` of noise in `count` extents of varying length spread evenly over `size`. */
function scatteredExtents(size: number, dataBytes: number, count: number, seed: number): DataExtent[] {
  const random = mulberry32(seed);
  const slot = Math.floor((size - MiB) / count);
  const average = dataBytes / count;
  return Array.from({ length: count }, (_, i) => {
    const length = Math.floor(average * (0.25 + 1.5 * random()));
    const offset = i * slot + Math.floor(random() * Math.max(0, slot - length));
    return { offset, length };
  });
}

/**
 * The upload of a 5 GiB disk holding about 1 GiB of data to an Azurite on disk (a temporary folder): the
 * sparse page blob upload against a plain sequential upload of every 4 MiB range, then the resume of an
 * upload SIGKILLed after `killAfterFraction` of the data (`page-blob-resume.ts`). Azurite keeps ~7 GiB in
 * the temporary folder meanwhile; the whole takes minutes, most of it the all-pages upload.
 */
export async function measurePageBlobUpload(
  options: {
    readonly diskBytes?: number;
    readonly dataBytes?: number;
    readonly parallelism?: number;
    readonly killAfterFraction?: number;
  } = {},
): Promise<PageBlobUploadFigures> {
  const diskBytes = options.diskBytes ?? 5 * GiB;
  const dataBytes = options.dataBytes ?? 1 * GiB;
  const parallelism = options.parallelism ?? 8;
  const root = await mkdtemp(join(tmpdir(), 'azl-bench-vhd-'));
  const azurite = await startAzurite({ persistence: { location: join(root, 'azurite') } });
  try {
    const connectionString = azurite.connectionString;
    await ensureCatalogueContainer(new BlobStore({ connectionString }), imagesContainer);
    const images = sdkPageBlobContainer({ connectionString }, imagesContainer.name);
    const size = diskBytes + 512;
    const file = join(root, 'disk.vhd');
    await writeSparseVhd(file, size, scatteredExtents(diskBytes, dataBytes, 200, 18));

    let scan: Awaited<ReturnType<typeof scanVhd>> | undefined;
    const scanMs = await timed(async () => {
      scan = await scanVhd(file);
    });
    let sparse: Awaited<ReturnType<typeof uploadFixedVhd>> | undefined;
    const sparseMs = await timed(async () => {
      sparse = await uploadFixedVhd({
        file,
        container: images,
        blobName: 'bench/1/bench-1.vhd',
        parallelism,
      });
    });

    let sequentialRanges = 0;
    const sequentialMs = await timed(async () => {
      const blob = images.pageBlob('bench/1/bench-1-all-pages.vhd');
      await blob.create(size, {});
      const handle = await open(file, 'r');
      try {
        const buffer = Buffer.allocUnsafe(MAX_PAGE_WRITE_BYTES);
        for (let offset = 0; offset < size; offset += MAX_PAGE_WRITE_BYTES) {
          const { bytesRead } = await handle.read(
            buffer,
            0,
            Math.min(MAX_PAGE_WRITE_BYTES, size - offset),
            offset,
          );
          await blob.writePages(offset, buffer.subarray(0, bytesRead));
          sequentialRanges += 1;
        }
      } finally {
        await handle.close();
      }
    });

    const resumeAfterKill = await measureResumeAfterKill({
      file,
      scan: scan!,
      connectionString,
      container: imagesContainer.name,
      blobName: 'bench/1/bench-1-killed.vhd',
      parallelism,
      killAfterBytes: Math.round((sparse?.dataBytes ?? dataBytes) * (options.killAfterFraction ?? 0.4)),
    });

    const figures = (ms: number, bytes: number, ranges: number): UploadFigures => ({
      ms: Math.round(ms),
      mibSent: round(bytes / MiB, 1),
      rangesSent: ranges,
      diskMiBPerSecond: round(size / MiB / (ms / 1000), 1),
    });
    return {
      diskGiB: round(diskBytes / GiB, 2),
      dataMiB: round((scan?.dataRanges ?? []).reduce((sum, r) => sum + r.end - r.start, 0) / MiB, 1),
      scanMs: Math.round(scanMs),
      sparse: { ...figures(sparseMs, sparse?.bytesSent ?? 0, sparse?.rangesSent ?? 0), parallelism },
      allPagesSequential: figures(sequentialMs, size, sequentialRanges),
      resumeAfterKill,
    };
  } finally {
    await azurite.stop();
    await rm(root, { recursive: true, force: true });
  }
}

import { open } from 'node:fs/promises';
import { BlobServiceClient } from '@azure/storage-blob';
import { uploadFixedVhd } from '../infra/images/page-blob-upload';
import type { PageBlobContainer } from '../infra/images/page-blob-port';
import { sdkPageBlobContainer } from '../infra/images/sdk-page-blob';
import type { VhdScan } from '../infra/images/vhd-scan';
import { mergeRanges, splitRanges, subtractRanges, totalLength } from '../shared/images/byte-ranges';
import type { ByteRange } from '../shared/images/byte-ranges';
import { MAX_PAGE_WRITE_BYTES, PAGE_BYTES } from '../shared/images/page-upload-plan';
import { settledPageRanges, uploadKilledAfter } from '../testing/images/killable-upload';
import { round, timed } from '../testing/measure';

const MiB = 1024 * 1024;

/**
 * Resuming after a kill: the upload runs in a child process (`testing/images/upload-process.ts`), is SIGKILLed
 * once the service has acknowledged `killAfterBytes`, and is run again here to the end. Then the blob is read
 * back: its page ranges against the file's data sectors, its SHA-256 metadata against the file's, and the
 * bytes of every page range against the file's.
 */
export interface ResumeAfterKillFigures {
  readonly killAfterMiB: number;
  readonly killed: {
    /** From the start of the process to its death. */
    readonly ms: number;
    /** Writes the service acknowledged before the kill. */
    readonly mibAcknowledged: number;
    readonly rangesAcknowledged: number;
    /** What the blob held once settled after the kill: the acknowledged writes and those in flight that landed. */
    readonly mibOnBlob: number;
  };
  readonly resumed: {
    readonly ms: number;
    readonly mibSent: number;
    readonly rangesSent: number;
    /** 4 MiB pieces of the data the killed run had written whole, not sent again. */
    readonly rangesSkipped: number;
    readonly mibSkipped: number;
    /** Bytes of the second run's writes that the blob already held after the kill: 0 is the goal. */
    readonly bytesSentAgain: number;
  };
  /** Writes of either run over 4 MiB (Azure's limit for one Put Page): 0 is the goal. */
  readonly rangesOver4MiB: number;
  /** Page ranges of the finished blob = the file's non-zero sectors and footer. */
  readonly pageRangesMatchFile: boolean;
  /** `sha256` metadata = the file's SHA-256, and `complete` = `true`. */
  readonly sha256MetadataMatchesFile: boolean;
  /** Every byte of every page range read back equals the file's (the rest of a page blob reads as zeros). */
  readonly pageBytesMatchFile: boolean;
}

export interface ResumeAfterKillSetup {
  readonly file: string;
  readonly scan: VhdScan;
  readonly connectionString: string;
  readonly container: string;
  readonly blobName: string;
  readonly parallelism: number;
  readonly killAfterBytes: number;
}

export async function measureResumeAfterKill(setup: ResumeAfterKillSetup): Promise<ResumeAfterKillFigures> {
  const { file, scan, connectionString, container, blobName, parallelism } = setup;
  let killed: Awaited<ReturnType<typeof uploadKilledAfter>> | undefined;
  const killedMs = await timed(async () => {
    killed = await uploadKilledAfter(
      { file, connectionString, container, blobName, parallelism },
      setup.killAfterBytes,
    );
  });
  const images = sdkPageBlobContainer({ connectionString }, container);
  const blob = images.pageBlob(blobName);
  const onBlob = await settledPageRanges(blob);

  const resumedWrites: ByteRange[] = [];
  let resumed: Awaited<ReturnType<typeof uploadFixedVhd>> | undefined;
  const resumedMs = await timed(async () => {
    resumed = await uploadFixedVhd({
      file,
      container: recordingRanges(images, resumedWrites),
      blobName,
      parallelism,
    });
  });

  const expected = mergeRanges([...scan.dataRanges, { start: scan.size - PAGE_BYTES, end: scan.size }]);
  const finalRanges = mergeRanges(await blob.pageRanges());
  const metadata = (await blob.properties())?.metadata ?? {};
  const allWrites = [...(killed?.acknowledged ?? []), ...resumedWrites];
  const sentAgain = resumedWrites.map((w) => w.end - w.start - totalLength(subtractRanges([w], onBlob)));
  return {
    killAfterMiB: round(setup.killAfterBytes / MiB, 1),
    killed: {
      ms: Math.round(killedMs),
      mibAcknowledged: round((killed?.acknowledgedBytes ?? 0) / MiB, 1),
      rangesAcknowledged: killed?.acknowledged.length ?? 0,
      mibOnBlob: round(totalLength(onBlob) / MiB, 1),
    },
    resumed: {
      ms: Math.round(resumedMs),
      mibSent: round((resumed?.bytesSent ?? 0) / MiB, 1),
      rangesSent: resumed?.rangesSent ?? 0,
      rangesSkipped: resumed?.rangesSkipped ?? 0,
      mibSkipped: round((resumed?.bytesSkipped ?? 0) / MiB, 1),
      bytesSentAgain: sentAgain.reduce((sum, n) => sum + n, 0),
    },
    rangesOver4MiB: allWrites.filter((w) => w.end - w.start > MAX_PAGE_WRITE_BYTES).length,
    pageRangesMatchFile: JSON.stringify(finalRanges) === JSON.stringify(expected),
    sha256MetadataMatchesFile: metadata['sha256'] === scan.sha256 && metadata['complete'] === 'true',
    pageBytesMatchFile: await pageBytesMatch(file, connectionString, container, blobName, finalRanges),
  };
}

/** `inner`'s blobs, recording into `writes` the range of every page write that succeeded. */
function recordingRanges(inner: PageBlobContainer, writes: ByteRange[]): PageBlobContainer {
  return {
    pageBlob(name) {
      const blob = inner.pageBlob(name);
      return {
        url: blob.url,
        properties: () => blob.properties(),
        pageRanges: () => blob.pageRanges(),
        create: (size, metadata) => blob.create(size, metadata),
        setMetadata: (metadata) => blob.setMetadata(metadata),
        async writePages(offset, body) {
          await blob.writePages(offset, body);
          writes.push({ start: offset, end: offset + body.byteLength });
        },
      };
    },
  };
}

/** Reads `ranges` of the blob back in 4 MiB pieces and compares each with the same bytes of `file`. */
async function pageBytesMatch(
  file: string,
  connectionString: string,
  container: string,
  blobName: string,
  ranges: readonly ByteRange[],
): Promise<boolean> {
  const client = BlobServiceClient.fromConnectionString(connectionString)
    .getContainerClient(container)
    .getPageBlobClient(blobName);
  const handle = await open(file, 'r');
  try {
    const fromFile = Buffer.allocUnsafe(MAX_PAGE_WRITE_BYTES);
    const fromBlob = Buffer.allocUnsafe(MAX_PAGE_WRITE_BYTES);
    for (const piece of splitRanges(ranges, MAX_PAGE_WRITE_BYTES)) {
      const length = piece.end - piece.start;
      await client.downloadToBuffer(fromBlob, piece.start, length);
      const { bytesRead } = await handle.read(fromFile, 0, length, piece.start);
      if (bytesRead !== length || !fromFile.subarray(0, length).equals(fromBlob.subarray(0, length))) {
        return false;
      }
    }
    return true;
  } finally {
    await handle.close();
  }
}

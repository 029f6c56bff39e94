import { uploadFixedVhd } from '../../infra/images/page-blob-upload';
import type { PageBlobContainer } from '../../infra/images/page-blob-port';
import { sdkPageBlobContainer } from '../../infra/images/sdk-page-blob';

/**
 * `uploadFixedVhd` as a process of its own, so a test or benchmark can SIGKILL it mid-upload: nothing is
 * injected into the upload, the process just stops, with writes in flight, as a crashed or evicted host would.
 * Run as `node dist/testing/images/upload-process.js '<UploadProcessJob as JSON>'` (see killable-upload.ts).
 *
 * It reports on stdout, one JSON object a line (a pipe's writes are synchronous on Linux, so a line is out
 * before the next step): `{"wrote":[start,end]}` after each page write the service acknowledged, then
 * `{"result":{…}}` (`FixedVhdUploaded`). A failure goes to stderr with exit code 1.
 */
export interface UploadProcessJob {
  readonly file: string;
  readonly connectionString: string;
  readonly container: string;
  readonly blobName: string;
  readonly parallelism: number;
}

export type UploadProcessLine =
  | { readonly wrote: readonly [number, number] }
  | { readonly result: Awaited<ReturnType<typeof uploadFixedVhd>> };

const say = (line: UploadProcessLine) => process.stdout.write(`${JSON.stringify(line)}\n`);

/** Reports every acknowledged write of `inner`'s blobs. */
function reportingWrites(inner: PageBlobContainer): PageBlobContainer {
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
          say({ wrote: [offset, offset + body.byteLength] });
        },
      };
    },
  };
}

async function main(job: UploadProcessJob): Promise<void> {
  const container = reportingWrites(
    sdkPageBlobContainer({ connectionString: job.connectionString }, job.container),
  );
  const result = await uploadFixedVhd({
    file: job.file,
    container,
    blobName: job.blobName,
    parallelism: job.parallelism,
  });
  say({ result });
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? '{}') as UploadProcessJob).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

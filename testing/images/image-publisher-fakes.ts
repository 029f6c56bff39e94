import { newestFirst } from '../../shared/images/image-build';
import type { ImageBuildRecord, ImageBuildState } from '../../shared/images/image-build';
import { PipelineError } from '../../shared/errors';
import type { ImageBuildRecords } from '../../shared/images/image-build-records';
import type { ImageFileStore, UploadedVhd, VhdUploader } from '../../shared/images/image-publisher';

/** The in-memory twin of the `imagebuilds` table; `puts` keeps every record written, in order. */
export class MemoryImageBuilds implements ImageBuildRecords {
  readonly records = new Map<string, ImageBuildRecord>();
  readonly puts: ImageBuildRecord[] = [];
  /** Writes of a record in this state fail (the table is down when a failure is recorded). */
  failPutsOf: ImageBuildState | undefined;
  /** Listings fail with this (the table is down). */
  failListingsWith: Error | undefined;

  get(image: string, version: string): Promise<ImageBuildRecord | undefined> {
    return Promise.resolve(this.records.get(`${image}\n${version}`));
  }

  put(record: ImageBuildRecord): Promise<void> {
    if (record.state === this.failPutsOf)
      return Promise.reject(PipelineError.transient('storage.unavailable', 'the table is down'));
    this.records.set(`${record.image}\n${record.version}`, record);
    this.puts.push(record);
    return Promise.resolve();
  }

  versions(image: string): Promise<ImageBuildRecord[]> {
    if (this.failListingsWith) return Promise.reject(this.failListingsWith);
    return Promise.resolve([...this.records.values()].filter((r) => r.image === image).sort(newestFirst));
  }

  latest(): Promise<ImageBuildRecord[]> {
    if (this.failListingsWith) return Promise.reject(this.failListingsWith);
    const newest = new Map<string, ImageBuildRecord>();
    for (const record of [...this.records.values()].sort(newestFirst))
      if (!newest.has(record.image)) newest.set(record.image, record);
    return Promise.resolve([...newest.values()].sort((a, b) => a.image.localeCompare(b.image)));
  }
}

/** Documents kept by blob name; URLs are `memory://images/<name>`. */
export class MemoryImageFiles implements ImageFileStore {
  readonly files = new Map<string, { body: string; contentType: string }>();

  put(blobName: string, body: string, contentType: string): Promise<string> {
    this.files.set(blobName, { body, contentType });
    return Promise.resolve(`memory://images/${blobName}`);
  }
}

/**
 * An uploader that reads nothing: it answers the `sha256` and `size` it is given (the manifest's, unless a
 * test wants a mismatch), or throws `failWith`; `uploads` keeps what was asked.
 */
export class FakeVhdUploader implements VhdUploader {
  readonly uploads: { file: string; blobName: string; metadata: Readonly<Record<string, string>> }[] = [];
  failWith: Error | undefined;

  constructor(
    public sha256: string,
    public size: number,
  ) {}

  upload(file: string, blobName: string, metadata: Readonly<Record<string, string>>): Promise<UploadedVhd> {
    this.uploads.push({ file, blobName, metadata });
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({
      url: `memory://images/${blobName}`,
      size: this.size,
      sha256: this.sha256,
      bytesSent: 1024,
      outcome: 'created',
    });
  }
}

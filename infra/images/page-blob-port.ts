import type { ByteRange } from '../../shared/images/byte-ranges';

/** A page blob as the VHD upload sees it; `sdk-page-blob.ts` is the Azure (and Azurite) adapter. */
export interface PageBlob {
  /** The blob's URL, without credentials (anonymous read when its container allows it). */
  readonly url: string;
  /** Its size and metadata, or `undefined` when there is no such blob. */
  properties(): Promise<PageBlobProperties | undefined>;
  /** Creates an empty page blob of `size` bytes (a multiple of 512), replacing any blob of that name. */
  create(size: number, metadata: Readonly<Record<string, string>>): Promise<void>;
  /** The ranges written so far (exclusive ends), sorted, in any grouping. */
  pageRanges(): Promise<ByteRange[]>;
  /** Writes `body` at `offset`: both 512-byte aligned, at most 4 MiB. */
  writePages(offset: number, body: Uint8Array): Promise<void>;
  /** Replaces the blob's metadata. */
  setMetadata(metadata: Readonly<Record<string, string>>): Promise<void>;
}

export interface PageBlobProperties {
  readonly size: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A blob container of page blobs; failures of every call are classified `PipelineError`s. */
export interface PageBlobContainer {
  pageBlob(name: string): PageBlob;
}

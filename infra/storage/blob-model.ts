/** What the blob adapter takes and returns. ETags are always in header form, quotes included. */
export interface PutBlobOptions {
  readonly contentType?: string;
  /** Keys must be valid C# identifiers; the service returns them lower-cased. */
  readonly metadata?: Record<string, string>;
  /** Write only if the blob still has this ETag; otherwise `storage.precondition-failed`. */
  readonly ifMatch?: string;
  /** `'*'`: create only; an existing blob gives `storage.conflict`. */
  readonly ifNoneMatch?: '*';
}

export interface BlobContent {
  readonly bytes: Buffer;
  readonly etag: string;
  readonly metadata: Record<string, string>;
  readonly contentType: string | undefined;
}

export interface BlobInfo {
  readonly name: string;
  readonly size: number;
  readonly etag: string;
  readonly lastModified: Date;
  readonly contentType: string | undefined;
  readonly metadata: Record<string, string>;
}

export type BlobListing = Omit<BlobInfo, 'metadata' | 'contentType'>;

/**
 * List Blobs returns ETags without the quotes that response headers carry (`0x8D..` vs `"0x8D.."`); quote them so
 * an ETag from a listing compares equal to one from `put`/`head` and works as `ifMatch`.
 */
export function quotedEtag(etag: string): string {
  return etag === '' || etag.startsWith('"') || etag.startsWith('W/') ? etag : `"${etag}"`;
}

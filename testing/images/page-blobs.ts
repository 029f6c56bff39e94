import type { PageBlob, PageBlobContainer, PageBlobProperties } from '../../infra/images/page-blob-port';
import { mergeRanges } from '../../shared/images/byte-ranges';
import type { ByteRange } from '../../shared/images/byte-ranges';
import { PipelineError } from '../../shared/errors';

/** One call the uploader made on a page blob, as a wrapper saw it. */
export type PageBlobCall =
  | { readonly op: 'create'; readonly blob: string; readonly size: number }
  | { readonly op: 'write'; readonly blob: string; readonly range: ByteRange; readonly body: Buffer }
  | { readonly op: 'setMetadata'; readonly blob: string; readonly metadata: Record<string, string> };

export interface RecordingOptions {
  /**
   * Decides per write (numbered from 1 over the wrapper's life) whether it fails instead of reaching the
   * inner blob: a crash is every write after the n-th failing; a flaky network is one write failing once.
   */
  readonly failWrite?: (writeNumber: number, range: ByteRange) => PipelineError | undefined;
}

/**
 * A container that records every create, write and metadata change on its way to `inner` (Azurite's adapter
 * or the memory twin), and fails the writes `failWrite` names, before they reach it.
 */
export function recordingContainer(
  inner: PageBlobContainer,
  options: RecordingOptions = {},
): { container: PageBlobContainer; calls: PageBlobCall[]; writes: () => ByteRange[] } {
  const calls: PageBlobCall[] = [];
  let writeNumber = 0;
  const container: PageBlobContainer = {
    pageBlob(name) {
      const blob = inner.pageBlob(name);
      return {
        url: blob.url,
        properties: () => blob.properties(),
        pageRanges: () => blob.pageRanges(),
        async create(size, metadata) {
          calls.push({ op: 'create', blob: name, size });
          await blob.create(size, metadata);
        },
        async writePages(offset, body) {
          writeNumber += 1;
          const range = { start: offset, end: offset + body.byteLength };
          const failure = options.failWrite?.(writeNumber, range);
          if (failure) throw failure;
          calls.push({ op: 'write', blob: name, range, body: Buffer.from(body) });
          await blob.writePages(offset, body);
        },
        async setMetadata(metadata) {
          calls.push({ op: 'setMetadata', blob: name, metadata: { ...metadata } });
          await blob.setMetadata(metadata);
        },
      };
    },
  };
  const writes = () => calls.flatMap((call) => (call.op === 'write' ? [call.range] : []));
  return { container, calls, writes };
}

/** Every write from the `after`-th on fails as a process killed mid-upload would leave things. */
export const crashAfterWrites =
  (after: number) =>
  (writeNumber: number): PipelineError | undefined =>
    writeNumber > after
      ? PipelineError.permanent('storage.failed', `simulated crash before write ${writeNumber}`)
      : undefined;

interface StoredPageBlob {
  size: number;
  metadata: Record<string, string>;
  bytes: Buffer;
  written: ByteRange[];
}

/** The in-memory twin of a page blob container: whole bytes, page ranges as written, metadata. */
export class MemoryPageBlobContainer implements PageBlobContainer {
  readonly blobs = new Map<string, StoredPageBlob>();

  pageBlob(name: string): PageBlob {
    const blobs = this.blobs;
    const stored = (): StoredPageBlob => {
      const blob = blobs.get(name);
      if (!blob) throw PipelineError.permanent('storage.not-found', `no page blob ${name}`, { blob: name });
      return blob;
    };
    return {
      url: `memory://images/${name}`,
      properties: async (): Promise<PageBlobProperties | undefined> => {
        const blob = blobs.get(name);
        return blob && { size: blob.size, metadata: { ...blob.metadata } };
      },
      create: async (size, metadata) => {
        blobs.set(name, { size, metadata: { ...metadata }, bytes: Buffer.alloc(size), written: [] });
      },
      pageRanges: async () => mergeRanges(stored().written),
      writePages: async (offset, body) => {
        const blob = stored();
        if (offset % 512 !== 0 || body.byteLength % 512 !== 0 || offset + body.byteLength > blob.size) {
          throw PipelineError.permanent('storage.invalid-range', `bad page write at ${offset}`, {
            blob: name,
          });
        }
        Buffer.from(body).copy(blob.bytes, offset);
        blob.written.push({ start: offset, end: offset + body.byteLength });
      },
      setMetadata: async (metadata) => {
        stored().metadata = { ...metadata };
      },
    };
  }
}

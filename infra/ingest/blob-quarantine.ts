import { createHash, randomUUID } from 'node:crypto';
import type { Quarantine, QuarantineEntry } from '../../shared/ingest/ports';
import type { BlobStore } from '../storage';

export const QUARANTINE_CONTAINER = 'quarantine';

/**
 * Rejected messages in the `quarantine` blob container, one JSON document each, under
 * `<yyyy-mm-dd>/<source>/<id-hash>-<unique>.json` with the reason in blob metadata, so an operator can list a
 * day's rejects, read why, and replay them once the cause is fixed.
 */
export class BlobQuarantine implements Quarantine {
  private ready: Promise<void> | undefined;

  constructor(private readonly blobs: BlobStore) {}

  async keep(entry: QuarantineEntry): Promise<string> {
    await (this.ready ??= this.blobs.ensureContainer(QUARANTINE_CONTAINER).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    }));
    const idPart = createHash('sha256')
      .update(entry.id ?? 'no-id')
      .digest('hex')
      .slice(0, 16);
    const name = `${entry.receivedAt.slice(0, 10)}/${entry.source}/${idPart}-${randomUUID()}.json`;
    await this.blobs.put(QUARANTINE_CONTAINER, name, JSON.stringify(entry, null, 2), {
      contentType: 'application/json',
      metadata: {
        source: entry.source,
        reason: asciiMetadata(entry.reason),
        path: asciiMetadata(entry.path),
      },
      ifNoneMatch: '*',
    });
    return name;
  }
}

/** Blob metadata values must be ASCII and short; the full reason is in the document. */
function asciiMetadata(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?').slice(0, 256);
}

import { randomUUID } from 'node:crypto';
import type { Quarantine, QuarantineEntry } from '../../shared/ingest/ports';
import { quarantineContainer } from '../../shared/storage';
import { ensureCatalogueContainer } from '../storage';
import type { BlobStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';

/**
 * Rejected messages in the `quarantine` blob container, one compact JSON document each, under
 * `<yyyy-mm-dd>/<source>/<id-hash>-<unique>.json` with the reason in blob metadata, so an operator can list a
 * day's rejects, read why, and replay them once the cause is fixed.
 */
export class BlobQuarantine implements Quarantine {
  private readonly ensure: () => Promise<void>;

  constructor(private readonly blobs: BlobStore) {
    this.ensure = ensureOnce(() => ensureCatalogueContainer(blobs, quarantineContainer));
  }

  async keep(entry: QuarantineEntry): Promise<string> {
    await this.ensure();
    const name = quarantineContainer.blobName(entry, randomUUID());
    // Compact, not indented: indentation grows with nesting depth, so the quarantined copy of a hostile
    // message grew with the square of its depth (a 13 KB message nested 2,000 deep became an 8 MB document).
    await this.blobs.put(quarantineContainer.name, name, JSON.stringify(entry), {
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

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import type { ArtifactStore, BuildArtifact } from '../../shared/build-worker';
import { mapLimited } from '../../shared/publishing/map-limited';
import { artifactsContainer } from '../../shared/storage';
import { ensureCatalogueContainer } from '../storage';
import type { BlobStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';

/** Files of one build uploaded at once: a kernel-sized build has a hundred subpackages. */
const UPLOADS_IN_FLIGHT = 8;

const CONTENT_TYPES: Record<BuildArtifact['kind'], string> = {
  srpm: 'application/x-rpm',
  rpm: 'application/x-rpm',
  log: 'text/plain; charset=utf-8',
};

/**
 * Built files in the `artifacts` container under `<component>/<fingerprint hex>/<file>`, each with its
 * SHA-256 and size as blob metadata (the publisher checks them). Uploading again writes the same blobs.
 */
export class BlobArtifactStore implements ArtifactStore {
  private readonly ensure: () => Promise<void>;

  constructor(private readonly blobs: BlobStore) {
    this.ensure = ensureOnce(() => ensureCatalogueContainer(blobs, artifactsContainer));
  }

  async upload(
    component: string,
    fingerprint: string,
    files: readonly { path: string; kind: BuildArtifact['kind'] }[],
  ): Promise<BuildArtifact[]> {
    await this.ensure();
    // The files go up together (a build's binary RPMs, SRPM and log), a few at a time: about one round trip
    // for a small build instead of one per file.
    return mapLimited(files, UPLOADS_IN_FLIGHT, async (file): Promise<BuildArtifact> => {
      const bytes = await readFile(file.path);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const fileName = basename(file.path);
      const blobPath = artifactsContainer.blobName(component, fingerprint, fileName);
      await this.blobs.put(artifactsContainer.name, blobPath, bytes, {
        contentType: CONTENT_TYPES[file.kind],
        metadata: { sha256, size: String(bytes.length), kind: file.kind },
      });
      return { blobPath, fileName, sha256, size: bytes.length, kind: file.kind };
    });
  }
}

import type { ContainerDefinition } from '../../shared/storage/container-definition';
import type { BlobStore } from './blob-store';

/**
 * Creates a catalogue container when missing, with the public access level its entry gives (a test may keep
 * its own copy under `name`).
 */
export function ensureCatalogueContainer(
  blobs: BlobStore,
  entry: ContainerDefinition,
  name: string = entry.name,
): Promise<void> {
  return blobs.ensureContainer(name, { publicAccess: entry.publicAccess });
}

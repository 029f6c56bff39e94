import { DepsIndex } from '../../shared/deps';
import type { DependencyView } from '../../shared/planner';
import { dependencyViewOf } from '../../shared/planner/deps-view';
import type { DependencySource } from '../../shared/planning-pass';
import { depsContainer } from '../../shared/storage';
import { ensureCatalogueContainer } from '../storage';
import type { BlobStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';

/**
 * The dependency index from Blob Storage, where the refresher writes it. Each call checks the blob's ETag
 * (one HEAD) and loads the index only when it changed; with no index yet, the view is empty (no dependents
 * are known, so only the changed components themselves are planned) and the version is `none`.
 */
export class BlobDependencySource implements DependencySource {
  private cached: { version: string; view: DependencyView } | undefined;
  private readonly ensure: () => Promise<void>;

  constructor(private readonly blobs: BlobStore) {
    this.ensure = ensureOnce(() => ensureCatalogueContainer(blobs, depsContainer));
  }

  async current(): Promise<{ view: DependencyView; version: string }> {
    await this.ensure();
    const info = await this.blobs.head(depsContainer.name, depsContainer.indexBlob);
    if (info === undefined) {
      if (this.cached?.version !== 'none')
        this.cached = { version: 'none', view: dependencyViewOf(new DepsIndex()) };
      return this.cached;
    }
    if (this.cached?.version === info.etag) return this.cached;
    const blob = await this.blobs.get(depsContainer.name, depsContainer.indexBlob);
    if (!blob) return this.current(); // replaced between the HEAD and the GET: look again
    this.cached = { version: blob.etag, view: dependencyViewOf(DepsIndex.deserialize(blob.bytes)) };
    return this.cached;
  }
}

import { DepsIndex } from '../../shared/deps';
import type { DependencyRefresher } from '../../shared/planning-pass';
import { depsContainer } from '../../shared/storage';
import { loadRepository } from '../deps/load-repository';
import { ensureCatalogueContainer } from '../storage';
import type { BlobStore } from '../storage';
import type { Logger } from '../../shared/logger';

export interface RefresherOptions {
  /** Fedora's binary repository (rpm-md folder or URL): provides and files. */
  readonly binaryRepodata: string;
  /** Its source repository: the BuildRequires. */
  readonly sourceRepodata: string;
  readonly trackedTags: readonly string[];
}

/**
 * Rebuilds the dependency index by streaming Fedora's primary.xml of both repositories, then replaces the
 * index blob in one write (readers see the old or the new index, never a mix). Failures are the loader's
 * classified `deps.*` errors: a retry of the message or the next timer run tries again.
 */
export class RepodataIndexRefresher implements DependencyRefresher {
  readonly trackedTags: readonly string[];

  constructor(
    private readonly blobs: BlobStore,
    private readonly options: RefresherOptions,
    private readonly logger: Logger,
  ) {
    this.trackedTags = options.trackedTags;
  }

  async refresh(reason: string): Promise<void> {
    const started = Date.now();
    const index = new DepsIndex();
    const binaries = await loadRepository(this.options.binaryRepodata, index);
    const sources = await loadRepository(this.options.sourceRepodata, index);
    await ensureCatalogueContainer(this.blobs, depsContainer);
    const bytes = index.serialize();
    await this.blobs.put(depsContainer.name, depsContainer.indexBlob, bytes, {
      contentType: 'application/gzip',
      metadata: { binaries: String(binaries), sources: String(sources) },
    });
    this.logger.info('dependency index refreshed', {
      reason,
      binaries,
      sources,
      bytes: bytes.length,
      ms: Date.now() - started,
    });
  }
}

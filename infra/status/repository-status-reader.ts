import { BlobRepositoryStore, DEFAULT_CONTAINERS } from '../publishing/blob-repository-store';
import type { RepositoryContainers } from '../publishing/blob-repository-store';
import { accountOf } from '../storage/blob-accounts';
import type { BlobAccounts } from '../storage/blob-accounts';
import { repoStateContainer } from '../../shared/storage';
import { PipelineError } from '../../shared/errors';
import { repositoryAccess } from '../../shared/publishing/repository-access';
import { decodeToken, encodeToken } from './continuation';
import type { Page, PageRequest, RepositoryStatus } from '../../shared/status/ports';

const LIST = 'repositories';

/**
 * Published repositories as the publisher keeps them: the repositories are the names under which the
 * private state container holds generations; each one's current generation is the state blob its
 * `repomd.xml` names in its metadata (one HEAD, then one GET of that JSON for the revision and the
 * package records).
 */
export class RepositoryStatusReader {
  private readonly store: BlobRepositoryStore;

  constructor(
    private readonly accounts: BlobAccounts,
    private readonly containers: RepositoryContainers = DEFAULT_CONTAINERS,
  ) {
    this.store = new BlobRepositoryStore(accounts, containers);
  }

  async list(page: PageRequest): Promise<Page<RepositoryStatus>> {
    const after = decodeToken(LIST, page.continuationToken);
    const all = (await this.repositoryNames()).filter((name) => after === undefined || name > after);
    const names = all.slice(0, page.limit);
    const continuationToken =
      all.length > page.limit ? encodeToken(LIST, names[names.length - 1]) : undefined;
    const items = await Promise.all(names.map((name) => this.status(name)));
    return {
      items: items.filter((item): item is RepositoryStatus => item !== undefined),
      ...(continuationToken ? { continuationToken } : {}),
    };
  }

  /**
   * Every repository with a generation, sorted. The state container lists generations, not repositories
   * (and `a-b/…` lists before `a/…`), so the names are gathered whole; a distribution has tens of them.
   */
  private async repositoryNames(): Promise<string[]> {
    const names = new Set<string>();
    try {
      for await (const blob of accountOf(this.accounts, repoStateContainer).list(this.containers.state)) {
        const name = repoStateContainer.repositoryOf(blob.name);
        if (name !== undefined) names.add(name);
      }
    } catch (error) {
      if (PipelineError.is(error, 'storage.not-found')) return [];
      throw error;
    }
    return [...names].sort();
  }

  /**
   * `undefined` for a repository whose first publish has not committed yet (state written, no repomd), or
   * whose repomd.xml names no state.
   */
  private async status(repository: string): Promise<RepositoryStatus | undefined> {
    let head;
    try {
      head = await this.store.head(repository);
    } catch (error) {
      // A repomd.xml the publisher did not write is not a published repository; one bad path must not hide the rest.
      if (PipelineError.is(error, 'publish.foreign-repository')) return undefined;
      throw error;
    }
    if (!head) return undefined;
    const generation = await this.store.loadGeneration(head.state);
    return {
      repository,
      revision: generation.revision,
      packageCount: generation.records.length,
      lastPublishedAt: new Date(generation.publishedAt).toISOString(),
      ...repositoryAccess(repository, this.store.baseUrl(repository)),
    };
  }
}

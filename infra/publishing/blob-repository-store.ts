import { randomUUID } from 'node:crypto';
import { PipelineError } from '../../shared/errors';
import { generationSchema } from '../../shared/publishing';
import type {
  BlobRef,
  CommitCondition,
  Garbage,
  Generation,
  ListedBlob,
  RepositoryHead,
  RepositoryStore,
} from '../../shared/publishing';
import { artifactsContainer, repoStateContainer, reposContainer } from '../../shared/storage';
import { ensureOnce } from '../storage/ensure-once';
import { ensureCatalogueContainer } from '../storage';
import type { BlobStore } from '../storage';
import { accountOf } from '../storage/blob-accounts';
import type { BlobAccounts } from '../storage/blob-accounts';

/** What the service answers for a copy whose source blob does not exist (same account, or streamed across). */
const MISSING_SOURCE = new Set(['BlobNotFound', 'CannotVerifyCopySource']);

/**
 * The names of the containers repositories live in (the catalogue's `repos`, `repostate` and `artifacts`,
 * unless a test keeps its own): what they hold and who may read them is their catalogue entry's.
 */
export interface RepositoryContainers {
  readonly repositories: string;
  readonly state: string;
  readonly artifacts: string;
}

export const DEFAULT_CONTAINERS: RepositoryContainers = {
  repositories: reposContainer.name,
  state: repoStateContainer.name,
  artifacts: artifactsContainer.name,
};

const REPOMD = 'repodata/repomd.xml';
/** Blob metadata keys on repomd.xml naming the generation's state blob (the service lower-cases keys). */
const STATE_NAME = 'azlstate';
const STATE_ETAG = 'azlstateetag';

/**
 * The repository store over Blob Storage. The repositories container is made anonymously readable (blob
 * level: files can be fetched, the container cannot be listed), so dnf uses its URL as `baseurl`; the
 * Azure deployment sets the same public access level on it. `repomd.xml` carries the name of its
 * generation's state blob in its metadata, so one conditional Put Blob commits both.
 *
 * Each container is read and written in the account its catalogue entry places it in (`accountOf`): the
 * repositories in the publishing account, state and artifacts in the main one. The commit stays one
 * conditional write: the state blob it names is written (If-None-Match `*`) before it, in whichever account.
 */
export class BlobRepositoryStore implements RepositoryStore {
  private readonly ensure: () => Promise<void>;
  /** Where `repos` lives: the publishing account. */
  private readonly published: BlobStore;
  /** Where `repostate` lives: the main account. */
  private readonly states: BlobStore;
  /** Where `artifacts` lives: the main account. */
  private readonly artifacts: BlobStore;

  constructor(
    accounts: BlobAccounts,
    private readonly containers: RepositoryContainers = DEFAULT_CONTAINERS,
  ) {
    this.published = accountOf(accounts, reposContainer);
    this.states = accountOf(accounts, repoStateContainer);
    this.artifacts = accountOf(accounts, artifactsContainer);
    this.ensure = ensureOnce(async () => {
      await ensureCatalogueContainer(this.published, reposContainer, containers.repositories);
      await ensureCatalogueContainer(this.states, repoStateContainer, containers.state);
    });
  }

  async head(repository: string): Promise<RepositoryHead | undefined> {
    await this.ensure();
    const info = await this.published.head(
      this.containers.repositories,
      reposContainer.blobName(repository, REPOMD),
    );
    if (!info) return undefined;
    const href = info.metadata[STATE_NAME];
    const etag = info.metadata[STATE_ETAG];
    if (!href || !etag) {
      throw PipelineError.permanent(
        'publish.foreign-repository',
        `${repository}/${REPOMD} was not written by the publisher`,
        {
          repository,
          container: this.containers.repositories,
        },
      );
    }
    return { etag: info.etag, state: { href, etag } };
  }

  async loadGeneration(state: BlobRef): Promise<Generation> {
    const blob = await this.states.get(this.containers.state, state.href);
    const place = { container: this.containers.state, blob: state.href };
    if (!blob)
      throw PipelineError.transient('publish.state-missing', `state ${state.href} is missing`, place);
    const parsed = generationSchema.safeParse(JSON.parse(blob.bytes.toString('utf8')));
    if (!parsed.success) {
      throw PipelineError.permanent(
        'publish.state-invalid',
        `state ${state.href} does not fit its schema`,
        place,
      );
    }
    return parsed.data;
  }

  /**
   * A build's file that is gone (deleted after the deployment's retention period, or never uploaded) is the
   * permanent `publish.artifact-missing`; a missing container stays `storage.not-found` (misconfiguration).
   */
  async copyPackage(
    artifactBlob: string,
    repository: string,
    href: string,
  ): Promise<{ etag: string; size: number }> {
    await this.ensure();
    try {
      return await this.published.copy(
        { container: this.containers.artifacts, name: artifactBlob, store: this.artifacts },
        this.containers.repositories,
        reposContainer.blobName(repository, href),
      );
    } catch (error) {
      if (
        !PipelineError.is(error, 'storage.not-found') ||
        !MISSING_SOURCE.has(String(error.context.errorCode))
      )
        throw error;
      throw PipelineError.permanent(
        'publish.artifact-missing',
        `${this.containers.artifacts}/${artifactBlob} is not there (deleted after the retention period?)`,
        { repository, href, container: this.containers.artifacts, artifactBlob },
        error,
      );
    }
  }

  async readRange(repository: string, href: string, offset: number, count: number): Promise<Uint8Array> {
    const blob = await this.published.getRange(
      this.containers.repositories,
      reposContainer.blobName(repository, href),
      offset,
      count,
    );
    return blob?.bytes ?? new Uint8Array();
  }

  async writeFile(
    repository: string,
    href: string,
    bytes: Uint8Array,
    contentType: string,
  ): Promise<BlobRef> {
    await this.ensure();
    const name = reposContainer.blobName(repository, href);
    const { etag } = await this.published.put(this.containers.repositories, name, bytes, {
      contentType,
    });
    return { href, etag };
  }

  async writeState(generation: Generation): Promise<BlobRef> {
    await this.ensure();
    const href = repoStateContainer.blobName(generation.repository, generation.revision, randomUUID());
    const { etag } = await this.states.put(this.containers.state, href, JSON.stringify(generation), {
      contentType: 'application/json',
      ifNoneMatch: '*',
    });
    return { href, etag };
  }

  async commit(
    repository: string,
    repomd: Uint8Array,
    condition: CommitCondition,
    state: BlobRef,
  ): Promise<void> {
    await this.published.put(
      this.containers.repositories,
      reposContainer.blobName(repository, REPOMD),
      repomd,
      {
        contentType: 'text/xml',
        metadata: { [STATE_NAME]: state.href, [STATE_ETAG]: state.etag },
        ...condition,
      },
    );
  }

  async deleteGarbage(repository: string, garbage: Garbage): Promise<void> {
    const [blobs, container, name] =
      garbage.store === 'state'
        ? [this.states, this.containers.state, garbage.name]
        : [this.published, this.containers.repositories, reposContainer.blobName(repository, garbage.name)];
    try {
      await blobs.delete(container, name, { ifMatch: garbage.etag });
    } catch (error) {
      // Written again since it was retired: it is in use, so it stays.
      if (!PipelineError.is(error, 'storage.precondition-failed')) throw error;
    }
  }

  async repositories(): Promise<string[]> {
    await this.ensure();
    const found = new Set<string>();
    for await (const blob of this.states.list(this.containers.state)) {
      const repository = repoStateContainer.repositoryOf(blob.name);
      if (repository !== undefined) found.add(repository);
    }
    return [...found].sort();
  }

  async listGenerationFiles(repository: string): Promise<ListedBlob[]> {
    await this.ensure();
    const root = reposContainer.blobName(repository, '');
    const found: ListedBlob[] = [];
    for (const folder of ['repodata/', 'Packages/']) {
      for await (const blob of this.published.list(this.containers.repositories, `${root}${folder}`)) {
        found.push(listed(blob.name.slice(root.length), blob));
      }
    }
    return found;
  }

  async listStates(repository: string): Promise<ListedBlob[]> {
    await this.ensure();
    const found: ListedBlob[] = [];
    for await (const blob of this.states.list(this.containers.state, `${repository}/`)) {
      // `a/b/…` also lists `a/b/c/…`: keep this repository's generations only.
      if (repoStateContainer.repositoryOf(blob.name) === repository) found.push(listed(blob.name, blob));
    }
    return found;
  }

  baseUrl(repository: string): string {
    return `${this.published.url(this.containers.repositories)}/${repository}/`;
  }
}

function listed(href: string, blob: { etag: string; lastModified: Date }): ListedBlob {
  return { href, etag: blob.etag, lastModified: blob.lastModified.getTime() };
}

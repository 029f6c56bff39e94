import type { BlobRef, Garbage, Generation } from './generation';
import type { ListedBlob } from './orphans';
import type { PublishRequest } from './publish-request';
import type { PipelineError } from '../errors';

/** The committed head of a repository: `repodata/repomd.xml`'s ETag and the state blob it names. */
export interface RepositoryHead {
  readonly etag: string;
  readonly state: BlobRef;
}

/** Optimistic concurrency on the commit point. */
export type CommitCondition = { readonly ifMatch: string } | { readonly ifNoneMatch: '*' };

/**
 * A repository's blobs. Hrefs are relative to the repository root (`Packages/a/a-1-1.noarch.rpm`,
 * `repodata/repomd.xml`). A lost race on `commit` throws `storage.precondition-failed` or `storage.conflict`.
 */
export interface RepositoryStore {
  head(repository: string): Promise<RepositoryHead | undefined>;
  loadGeneration(state: BlobRef): Promise<Generation>;
  /**
   * Copies an artifact blob into the repository (server-side within one account, streamed across two);
   * the copy's ETag and size.
   */
  copyPackage(
    artifactBlob: string,
    repository: string,
    href: string,
  ): Promise<{ etag: string; size: number }>;
  /** `count` bytes from `offset` of a repository blob (fewer at its end). */
  readRange(repository: string, href: string, offset: number, count: number): Promise<Uint8Array>;
  writeFile(repository: string, href: string, bytes: Uint8Array, contentType: string): Promise<BlobRef>;
  /** Stores a generation under a new name (never overwriting): the ref `commit` will point to. */
  writeState(generation: Generation): Promise<BlobRef>;
  /** Replaces `repodata/repomd.xml` (the commit point) when `condition` holds, naming `state` in its metadata. */
  commit(repository: string, repomd: Uint8Array, condition: CommitCondition, state: BlobRef): Promise<void>;
  /** Deletes a retired blob unless it was written again since (its ETag changed); no error when gone. */
  deleteGarbage(repository: string, garbage: Garbage): Promise<void>;
  /** Every repository that has a committed generation (for the periodic sweep). */
  repositories(): Promise<string[]>;
  /** The repository's files under `repodata/` and `Packages/` (hrefs relative to its root), for the orphan sweep. */
  listGenerationFiles(repository: string): Promise<ListedBlob[]>;
  /** The repository's generation state blobs (hrefs as `BlobRef`s name them), for the orphan sweep. */
  listStates(repository: string): Promise<ListedBlob[]>;
  /** The public URL of the repository root, for `baseurl`. */
  baseUrl(repository: string): string;
}

/** A publish request recorded for its repository until a generation includes it. */
export interface PendingPublish {
  readonly key: string;
  readonly request: PublishRequest;
}

/** The pending publish requests per repository (the coalescing point). */
export interface PendingPublishes {
  /**
   * Records a request its sender has just made, as pending; one already there (a re-sent request) is left as
   * it is. What the build worker does before sending the `publish` message: it needs no answer.
   */
  add(key: string, request: PublishRequest): Promise<void>;
  /**
   * Records the request as pending unless it is already there; `done` when a generation already included it.
   * What the publish run does with its message's request, which its sender has normally added already.
   */
  record(key: string, request: PublishRequest): Promise<'pending' | 'done'>;
  pending(repository: string): Promise<PendingPublish[]>;
  markDone(repository: string, keys: readonly string[], revision: number): Promise<void>;
  /**
   * Takes requests out of the pending ones and keeps them, with the reason, as rejected: a package of theirs
   * cannot be published (missing, not what the request says, not an RPM), and the next runs must not stop on
   * them. A request sent again afterwards is pending again.
   */
  setAside(repository: string, requests: readonly SetAsideRequest[]): Promise<void>;
}

/** A request a publish run set aside, and why. */
export interface SetAsideRequest {
  readonly key: string;
  readonly request: PublishRequest;
  readonly error: PipelineError;
}

/**
 * Brings a repository's publish back later: the request is sent again to the repository's session at `at`,
 * under an id that every request deferred to the same moment shares, so one message comes back for all of
 * them (duplicate detection drops the rest) and its run takes every pending request.
 */
export interface PublishFlushes {
  scheduleFlush(request: PublishRequest, at: Date): Promise<void>;
}

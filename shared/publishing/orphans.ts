import type { BlobRef, Garbage, Generation } from './generation';

/** A blob as a listing shows it: its name (an href under the repository root, or a state blob's name). */
export interface ListedBlob {
  readonly href: string;
  readonly etag: string;
  /** When it was last written (ms since the epoch). */
  readonly lastModified: number;
}

export interface OrphanSearch {
  /** The committed generation (`emptyGeneration` when nothing was committed yet). */
  readonly committed: Generation;
  /** The state blob the committed `repomd.xml` names, when there is one. */
  readonly committedState?: BlobRef;
  /** The repository's files under `repodata/` and `Packages/` (what the publisher writes per generation). */
  readonly files: readonly ListedBlob[];
  /** The repository's generation state blobs. */
  readonly states: readonly ListedBlob[];
  readonly now: number;
  readonly graceMs: number;
}

/** The commit point: written by every commit, referenced by no generation, never an orphan. */
const COMMIT_POINT = 'repodata/repomd.xml';
/** Where a publish writes the files of the generation it is making; nothing else is ever an orphan. */
const GENERATION_FOLDERS = ['repodata/', 'Packages/'];
/**
 * How far the storage service's clock (a blob's last-modified time) and the publisher's (a generation's
 * `publishedAt`) may disagree: a blob counts as written before a generation only with this much to spare.
 */
export const CLOCK_SKEW_MS = 60_000;

/**
 * What a publish that never committed left behind (killed between its uploads and its commit, or a lost race
 * whose publisher stopped before the next generation could retire its files, or garbage whose deletion
 * failed): the blobs the committed generation neither uses nor retires, judged by that generation.
 *
 * A file the committed generation uses is never an orphan, whatever its ETag (a crashed attempt may have
 * copied the same package over it); neither is one it retires (its garbage, deleted on its own schedule),
 * `repomd.xml`, the `.repo` file or anything outside `repodata/` and `Packages/`.
 *
 * By generation: a blob is an orphan only if it was written before the committed generation was made (and
 * not in the last `graceMs`). A publish that can still commit read that generation as its head, so everything
 * it uploads is newer; a publish that started before it loses the If-Match race at its commit and uploads
 * again on its retry. So a publish slower than the grace period never loses a file it will commit, and the
 * uploads of a publish killed after the last commit wait for the next generation (the redelivered request's,
 * usually) before they go. Each orphan carries the ETag it was listed with: a blob written again since stays.
 */
export function findOrphans(search: OrphanSearch): Garbage[] {
  const { committed, now, graceMs } = search;
  const retired = (store: Garbage['store']) =>
    new Set(committed.garbage.filter((g) => g.store === store).map((g) => g.name));
  const usedFiles = new Set([...committed.packages, ...committed.metadata].map((ref) => ref.href));
  const retiredFiles = retired('repository');
  const retiredStates = retired('state');
  const settled = (blob: ListedBlob) =>
    blob.lastModified + CLOCK_SKEW_MS < committed.publishedAt && blob.lastModified + graceMs <= now;
  const orphan = (store: Garbage['store'], blob: ListedBlob): Garbage => ({
    store,
    name: blob.href,
    etag: blob.etag,
    deleteAfter: blob.lastModified + graceMs,
  });
  const files = search.files.filter(
    (blob) =>
      GENERATION_FOLDERS.some((folder) => blob.href.startsWith(folder)) &&
      blob.href !== COMMIT_POINT &&
      !usedFiles.has(blob.href) &&
      !retiredFiles.has(blob.href) &&
      settled(blob),
  );
  const states = search.states.filter(
    (blob) => blob.href !== search.committedState?.href && !retiredStates.has(blob.href) && settled(blob),
  );
  return [...files.map((blob) => orphan('repository', blob)), ...states.map((blob) => orphan('state', blob))];
}

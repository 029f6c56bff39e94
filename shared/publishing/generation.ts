import { z } from 'zod';
import { repodataRecordSchema } from '../repodata';
import type { RepodataRecord } from '../repodata';

/**
 * A blob that a previous generation used and the current one does not: deleted once `deleteAfter` has
 * passed, and only if it still has `etag` (a blob written again since, e.g. a package published anew under
 * the same name, is in use again and must stay). `store` says which container: the public repository or
 * the private state.
 */
export const garbageSchema = z.object({
  store: z.enum(['repository', 'state']),
  name: z.string().min(1),
  etag: z.string().min(1),
  deleteAfter: z.number().int(),
});
export type Garbage = z.infer<typeof garbageSchema>;

const blobRefSchema = z.object({ href: z.string().min(1), etag: z.string().min(1) });
export type BlobRef = z.infer<typeof blobRefSchema>;

/**
 * One published generation of a repository, stored as one private JSON blob that `repomd.xml`'s blob
 * metadata points to (so the commit point names its own state, and a lost race leaves the state untouched):
 * the package records (metadata is regenerated from them alone), the blobs it references with their ETags,
 * what waits for deletion, and the publish requests it includes.
 */
export const generationSchema = z.object({
  repository: z.string().min(1),
  revision: z.number().int().nonnegative(),
  publishedAt: z.number().int(),
  records: z.array(repodataRecordSchema),
  /** RPM blobs (href relative to the repository root) with the ETag they got when copied. */
  packages: z.array(blobRefSchema),
  /** This generation's metadata files (content-addressed hrefs under `repodata/`). */
  metadata: z.array(blobRefSchema),
  garbage: z.array(garbageSchema),
  /** Keys of the publish requests published so far (the newest ones; bounded). */
  requests: z.array(z.string()),
  /** What this generation changed (NEVRAs), for its `repo.published` event. */
  added: z.array(z.string()),
  removed: z.array(z.string()),
});
export type Generation = z.infer<typeof generationSchema>;

/** The generation of a repository nothing was published to yet. */
export function emptyGeneration(repository: string): Generation {
  return {
    repository,
    revision: 0,
    publishedAt: 0,
    records: [],
    packages: [],
    metadata: [],
    garbage: [],
    requests: [],
    added: [],
    removed: [],
  };
}

export interface NextGenerationInput {
  readonly records: readonly RepodataRecord[];
  readonly packages: readonly BlobRef[];
  readonly metadata: readonly BlobRef[];
  readonly requests: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Repository blobs a failed attempt wrote and no generation references (they become garbage too). */
  readonly leftovers?: readonly BlobRef[];
  /** The state blob of `previous` (becomes garbage), when there is one. */
  readonly previousState?: BlobRef;
  readonly now: number;
  readonly graceMs: number;
  /**
   * Garbage is due when its `deleteAfter` is at or before this moment (default `now`; earlier while the
   * repository is busy: `deletionCutoff`).
   */
  readonly dueBy?: number;
  /**
   * At most this many due blobs are handed over for deletion (the longest due first); the others stay in the
   * new generation's garbage, due, for the next publish or the sweep. Unbounded when absent.
   */
  readonly maxDue?: number;
}

/** Request keys remembered per repository (enough to recognise redeliveries). */
const REMEMBERED_REQUESTS = 500;

/**
 * The generation after `previous`: revision + 1, and every blob `previous` referenced that the new one does
 * not becomes garbage for `graceMs` (readers that fetched the old repomd.xml still find its files). Garbage
 * that is due now is returned separately (at most `maxDue` of it), to be deleted once the new generation is
 * committed; garbage whose name is in use again is forgotten.
 */
export function nextGeneration(
  previous: Generation,
  input: NextGenerationInput,
): { generation: Generation; due: Garbage[] } {
  const inUse = new Set([...input.packages, ...input.metadata].map((ref) => ref.href));
  const deleteAfter = input.now + input.graceMs;
  const retired: Garbage[] = [...previous.packages, ...previous.metadata, ...(input.leftovers ?? [])]
    .filter((ref) => !inUse.has(ref.href))
    .map((ref) => ({ store: 'repository', name: ref.href, etag: ref.etag, deleteAfter }));
  if (input.previousState)
    retired.push({
      store: 'state',
      name: input.previousState.href,
      etag: input.previousState.etag,
      deleteAfter,
    });
  const waiting = previous.garbage.filter((g) => !(g.store === 'repository' && inUse.has(g.name)));
  const allDue = waiting
    .filter((g) => g.deleteAfter <= (input.dueBy ?? input.now))
    .sort((a, b) => a.deleteAfter - b.deleteAfter);
  const due = allDue.slice(0, input.maxDue ?? allDue.length);
  const handedOver = new Set(due);
  const requests = [
    ...previous.requests,
    ...input.requests.filter((key) => !previous.requests.includes(key)),
  ];
  return {
    generation: {
      repository: previous.repository,
      revision: previous.revision + 1,
      publishedAt: input.now,
      records: [...input.records],
      packages: [...input.packages],
      metadata: [...input.metadata],
      garbage: [...waiting.filter((g) => !handedOver.has(g)), ...retired],
      requests: requests.slice(-REMEMBERED_REQUESTS),
      added: [...input.added],
      removed: [...input.removed],
    },
    due,
  };
}

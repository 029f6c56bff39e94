/**
 * When retired repository files (past their grace period) are deleted: while their repository is quiet.
 *
 * Deleting is upkeep, and a mass rebuild makes thousands of deletes fall due at once, one grace period after
 * it retired every package. Done while the repository is still busy (the next workload publishing into it),
 * they compete with that work for the storage account and the publisher (in Azurite a delete re-sorts the
 * indexes of every blob in the account; README, "The pipeline at distribution scale"). So a repository that
 * made a revision within `quietMs` deletes only what has been due for more than `maxDeferMs`, which bounds
 * how long retired files can stay when a repository never rests; once it is quiet, the next publish (its
 * share) and the sweep delete the rest.
 */
export interface DeletionTiming {
  /** No revision for this long and the repository counts as quiet. */
  readonly quietMs: number;
  /** Due garbage waits for a quiet repository at most this long. */
  readonly maxDeferMs: number;
}

export const DEFAULT_DELETION_TIMING: DeletionTiming = { quietMs: 60_000, maxDeferMs: 60 * 60_000 };

/**
 * Garbage whose `deleteAfter` is at or before the returned moment may be deleted now: `now` when the
 * repository's last revision (`lastRevisionAt`, 0 for none) is `quietMs` old or older, else `now -
 * maxDeferMs`.
 */
export function deletionCutoff(lastRevisionAt: number, now: number, timing: DeletionTiming): number {
  return now - lastRevisionAt >= timing.quietMs ? now : now - timing.maxDeferMs;
}

import { PipelineError } from '../../errors';

/**
 * How far the datagrepper catch-up got: every message with `sent-at` at or before `through` (UNIX epoch
 * seconds, inclusive) that datagrepper held when its window was read has been handed to the ingest sink, and
 * the sink resolved. A message datagrepper learns about later with an older `sent-at` is what the overlap of
 * the next run re-reads for.
 */
export interface Checkpoint {
  readonly through: number;
}

export function checkpointAt(through: number): Checkpoint {
  if (!Number.isSafeInteger(through) || through < 0) {
    throw PipelineError.permanent('catch-up.invalid-checkpoint', `not a checkpoint: ${String(through)}`, {
      through: String(through),
    });
  }
  return { through };
}

/**
 * The checkpoint after a window ending at `windowEnd` was handed over. It never moves backwards: a run that
 * re-reads only its overlap (nothing new yet) keeps the checkpoint it had.
 */
export function advanceCheckpoint(current: Checkpoint | undefined, windowEnd: number): Checkpoint {
  if (current !== undefined && current.through >= windowEnd) return current;
  return checkpointAt(windowEnd);
}

/** A checkpoint as stored, with the opaque version (an ETag) that a conditional commit must name. */
export interface StoredCheckpoint {
  readonly checkpoint: Checkpoint;
  readonly version: string;
}

/** `committed: false` means another writer moved the checkpoint first: this run lost the race. */
export type CommitResult =
  { readonly committed: true; readonly version: string } | { readonly committed: false };

/**
 * Durable storage of one catch-up stream's checkpoint. `commit` writes only if the stored version is still
 * `expectedVersion` (`undefined`: only if there is none yet), so two concurrent runs cannot both advance it.
 */
export interface CheckpointPort {
  read(): Promise<StoredCheckpoint | undefined>;
  commit(next: Checkpoint, expectedVersion: string | undefined): Promise<CommitResult>;
}

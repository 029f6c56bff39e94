import { PipelineError } from '../../shared/errors';
import { checkpointAt } from '../../shared/fedora/catch-up';
import type {
  Checkpoint,
  CheckpointPort,
  CommitResult,
  StoredCheckpoint,
} from '../../shared/fedora/catch-up';
import { catchUpCheckpointsTable } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { StoredRow, TableOf, TableStore } from '../storage';
import type { CheckpointRow } from '../../shared/storage';

export interface TableCheckpointStoreOptions {
  /** Default: the catalogue's `catchupcheckpoints`; created on first use. */
  readonly table?: string;
  /** Which catch-up this is (one row each); default `datagrepper`. */
  readonly stream?: string;
  readonly clock?: () => Date;
}

/**
 * The catch-up checkpoint as one Azure Tables entity (`catch-up` / stream). `commit` is conditional on the
 * ETag the caller read or last wrote (an insert when there was none), so of two concurrent runs that started
 * from the same checkpoint only the first to commit advances it; the other gets `{ committed: false }`. A row
 * deleted by an operator mid-run also ends that run (`committed: false`): it must not resurrect the row.
 */
export class TableCheckpointStore implements CheckpointPort {
  private readonly checkpoints: TableOf<typeof catchUpCheckpointsTable>;
  private readonly stream: string;
  private readonly clock: () => Date;

  constructor(tables: TableStore, options: TableCheckpointStoreOptions = {}) {
    this.checkpoints = new CatalogueTable(tables, catchUpCheckpointsTable, options.table);
    this.stream = options.stream ?? 'datagrepper';
    this.clock = options.clock ?? (() => new Date());
  }

  async read(): Promise<StoredCheckpoint | undefined> {
    await this.checkpoints.ensure();
    const stored = await this.stored();
    if (stored === undefined) return undefined;
    return { checkpoint: checkpointAt(stored.row.through), version: stored.etag };
  }

  async commit(next: Checkpoint, expectedVersion: string | undefined): Promise<CommitResult> {
    await this.checkpoints.ensure();
    const row = { stream: this.stream, through: next.through, updatedAt: this.clock().toISOString() };
    try {
      const { etag } =
        expectedVersion === undefined
          ? await this.checkpoints.insert(row)
          : await this.checkpoints.update(row, { etag: expectedVersion, mode: 'replace' });
      return { committed: true, version: etag };
    } catch (error) {
      if (lostRace(error)) return { committed: false };
      throw error;
    }
  }

  /** The row; one that does not fit (no valid `through`) is `catch-up.corrupt-checkpoint`. */
  private async stored(): Promise<StoredRow<CheckpointRow> | undefined> {
    try {
      return await this.checkpoints.get(this.stream);
    } catch (error) {
      if (!PipelineError.is(error, 'storage.invalid-row')) throw error;
      const place = `${this.checkpoints.name}/${catchUpCheckpointsTable.partition}/${this.stream}`;
      throw PipelineError.permanent(
        'catch-up.corrupt-checkpoint',
        `checkpoint ${place} is unreadable: ${error.message}`,
        { table: this.checkpoints.name, stream: this.stream, field: error.context['field'] ?? null },
        error,
      );
    }
  }
}

/** Someone else wrote (or deleted) the row since it was read. A missing table stays an error. */
function lostRace(error: unknown): boolean {
  if (PipelineError.is(error, 'storage.conflict') || PipelineError.is(error, 'storage.precondition-failed')) {
    return true;
  }
  return PipelineError.is(error, 'storage.not-found') && error.context.errorCode !== 'TableNotFound';
}

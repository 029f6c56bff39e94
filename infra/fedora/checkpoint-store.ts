import { PipelineError } from '../../shared/errors';
import { checkpointAt, isoSecond } from '../../shared/fedora/catch-up';
import type {
  Checkpoint,
  CheckpointPort,
  CommitResult,
  StoredCheckpoint,
} from '../../shared/fedora/catch-up';
import type { TableStore } from '../storage';

interface CheckpointEntity {
  /** Epoch seconds, inclusive (see `Checkpoint`). */
  through: number;
  /** The same instant for people reading the table. */
  throughIso: string;
  updatedAt: string;
}

export interface TableCheckpointStoreOptions {
  /** Default `catchupcheckpoints`; created on first use. */
  readonly table?: string;
  /** Which catch-up this is (one row each); default `datagrepper`. */
  readonly stream?: string;
  readonly clock?: () => Date;
}

const PARTITION = 'catch-up';

/**
 * The catch-up checkpoint as one Azure Tables entity (`catch-up` / stream). `commit` is conditional on the
 * ETag the caller read or last wrote (an insert when there was none), so of two concurrent runs that started
 * from the same checkpoint only the first to commit advances it; the other gets `{ committed: false }`. A row
 * deleted by an operator mid-run also ends that run (`committed: false`): it must not resurrect the row.
 */
export class TableCheckpointStore implements CheckpointPort {
  private readonly table: string;
  private readonly stream: string;
  private readonly clock: () => Date;
  private ready: Promise<void> | undefined;

  constructor(
    private readonly tables: TableStore,
    options: TableCheckpointStoreOptions = {},
  ) {
    this.table = options.table ?? 'catchupcheckpoints';
    this.stream = options.stream ?? 'datagrepper';
    this.clock = options.clock ?? (() => new Date());
  }

  async read(): Promise<StoredCheckpoint | undefined> {
    await this.ensureTable();
    const stored = await this.tables.get<CheckpointEntity>(this.table, PARTITION, this.stream);
    if (stored === undefined) return undefined;
    const through = stored.entity.through;
    if (typeof through !== 'number' || !Number.isSafeInteger(through) || through < 0) {
      throw PipelineError.permanent(
        'catch-up.corrupt-checkpoint',
        `checkpoint ${this.table}/${PARTITION}/${this.stream} has no valid 'through': ${String(through)}`,
        { table: this.table, stream: this.stream },
      );
    }
    return { checkpoint: checkpointAt(through), version: stored.etag };
  }

  async commit(next: Checkpoint, expectedVersion: string | undefined): Promise<CommitResult> {
    await this.ensureTable();
    const entity = {
      partitionKey: PARTITION,
      rowKey: this.stream,
      through: next.through,
      throughIso: isoSecond(next.through),
      updatedAt: this.clock().toISOString(),
    };
    try {
      const { etag } =
        expectedVersion === undefined
          ? await this.tables.insert<CheckpointEntity>(this.table, entity)
          : await this.tables.update<CheckpointEntity>(this.table, entity, {
              etag: expectedVersion,
              mode: 'replace',
            });
      return { committed: true, version: etag };
    } catch (error) {
      if (lostRace(error)) return { committed: false };
      throw error;
    }
  }

  private ensureTable(): Promise<void> {
    // Memoised, but a failed attempt is forgotten so that the next call tries again.
    this.ready ??= this.tables.ensureTable(this.table).catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }
}

/** Someone else wrote (or deleted) the row since it was read. A missing table stays an error. */
function lostRace(error: unknown): boolean {
  if (PipelineError.is(error, 'storage.conflict') || PipelineError.is(error, 'storage.precondition-failed')) {
    return true;
  }
  return PipelineError.is(error, 'storage.not-found') && error.context.errorCode !== 'TableNotFound';
}

import { PipelineError } from '../../shared/errors';
import type { ImageTriggerRow, ImageTriggerState, RepositoryChange } from '../../shared/images/image-trigger';
import { imageTriggersTable } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';

/** Read-modify-write attempts before a row that keeps changing under us is a transient failure. */
const ATTEMPTS = 5;

/**
 * The image trigger's rows (`imagetriggers`, one per image). Each write reads the row and writes it back
 * with its ETag (or inserts it), again on a lost race, so two `repo.published` handled at once for the same
 * image both land. Writes only move forward: the later change time, the higher revision, the later request.
 */
export class TableImageTriggerState implements ImageTriggerState {
  private readonly rows: TableOf<typeof imageTriggersTable>;

  constructor(tables: TableStore, tableName?: string) {
    this.rows = new CatalogueTable(tables, imageTriggersTable, tableName);
  }

  async get(image: string): Promise<ImageTriggerRow | undefined> {
    await this.rows.ensure();
    return (await this.rows.get(image))?.row;
  }

  recordChange(image: string, change: RepositoryChange): Promise<ImageTriggerRow> {
    const at = change.at.toISOString();
    return this.move(image, (row) => ({
      ...row,
      lastRepoChangeAt: later(row.lastRepoChangeAt, at),
      revisions: {
        ...row.revisions,
        [change.repository]: Math.max(Number(row.revisions[change.repository] ?? 0), change.revision),
      },
    }));
  }

  async markRequested(image: string, changeAt: string): Promise<void> {
    await this.move(image, (row) => ({
      ...row,
      requestedForChangeAt: later(row.requestedForChangeAt, changeAt),
    }));
  }

  private async move(
    image: string,
    next: (row: ImageTriggerRow) => ImageTriggerRow,
  ): Promise<ImageTriggerRow> {
    await this.rows.ensure();
    for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
      const stored = await this.rows.get(image);
      const row = next(stored?.row ?? { image, revisions: {} });
      try {
        if (stored === undefined) await this.rows.insert(row);
        else await this.rows.update(row, { etag: stored.etag, mode: 'replace' });
        return row;
      } catch (error) {
        const lostRace =
          PipelineError.is(error, 'storage.conflict') ||
          PipelineError.is(error, 'storage.precondition-failed');
        if (!lostRace) throw error;
      }
    }
    throw PipelineError.transient(
      'storage.unavailable',
      `image trigger row '${image}' kept changing: ${ATTEMPTS} writes lost their race`,
      { image },
    );
  }
}

function later(stored: string | undefined, candidate: string): string {
  return stored !== undefined && Date.parse(stored) >= Date.parse(candidate) ? stored : candidate;
}

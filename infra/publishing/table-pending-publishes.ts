import { PipelineError } from '../../shared/errors';
import type {
  PendingPublish,
  PendingPublishes,
  PublishRequest,
  SetAsideRequest,
} from '../../shared/publishing';
import { publishQueueTable } from '../../shared/storage';
import type { PublishQueueRow } from '../../shared/storage';
import { componentKey } from '../../shared/storage/table-keys';
import { CatalogueTable, ignoreInvalidRow } from '../storage';
import type { InvalidRowHandler, TableOf, TableStore } from '../storage';

/**
 * Publish requests per repository in Azure Tables (`publishqueue`): row = the message's key; partition = the
 * repository id for pending requests, that followed by `:done` for requests a revision included (both
 * escaped for Tables). A request is added by its sender before its message goes, and recorded again by its
 * run (found there, normally); a run takes every row of the pending partition, writes them done with the
 * revision that included them and deletes them from the pending partition. So a run reads what waits, not
 * the repository's history, which Tables would scan in full for a filter in one partition.
 *
 * A request sent again after its revision (a build retried after its publish went out) is pending again, and
 * its run takes it: the same packages change nothing there, rebuilt ones replace their NEVRA's files.
 */
export class TablePendingPublishes implements PendingPublishes {
  private readonly table: TableOf<typeof publishQueueTable>;

  /**
   * `table`: the catalogue's, unless a test keeps its own. `skipInvalid`: a pending row that does not fit is
   * left out of the run and reported here (default: silently).
   */
  constructor(
    tables: TableStore,
    table: string = publishQueueTable.name,
    private readonly skipInvalid: InvalidRowHandler = ignoreInvalidRow,
  ) {
    this.table = new CatalogueTable(tables, publishQueueTable, table);
  }

  /** An insert; a conflict (the row is there) is the answer too. */
  async add(key: string, request: PublishRequest): Promise<void> {
    await this.table.ensure();
    await this.insertUnlessThere(key, request);
  }

  /**
   * Point reads, the pending row first: with a coalescing window most messages arrive before the run that
   * takes their request, and find it pending with one read (written by its sender, `add`). A message after
   * that run finds it done with a second read. Only a request that is missing in both (sent without a row, as
   * `repo publish` and older workers send) is inserted.
   */
  async record(key: string, request: PublishRequest): Promise<'pending' | 'done'> {
    await this.table.ensure();
    const { repository } = request;
    const before = await this.table.get(repository, key);
    // The pending partition holds only pending rows (and `done` ones marked in place by older runs).
    if (before) return before.row.state === 'done' ? 'done' : 'pending';
    if (await this.table.get(repository, key, 'done')) return 'done';
    if (await this.insertUnlessThere(key, request)) return 'pending';
    const stored = await this.table.get(repository, key);
    return stored?.row.state === 'done' ? 'done' : 'pending';
  }

  /** Whether this call inserted the row (false: it was there). */
  private async insertUnlessThere(key: string, request: PublishRequest): Promise<boolean> {
    try {
      await this.table.insert({ repository: request.repository, key, state: 'pending', request });
      return true;
    } catch (error) {
      if (!PipelineError.is(error, 'storage.conflict')) throw error;
      return false;
    }
  }

  /**
   * Every row of the pending partition. A row marked `done` in place there (as runs did before done rows had a
   * partition of their own) is moved to the done partition on the way, so after an upgrade the first run of a
   * repository reads its old history once, and later runs only what waits.
   */
  async pending(repository: string): Promise<PendingPublish[]> {
    await this.table.ensure();
    const found: PendingPublish[] = [];
    const markedInPlace: PublishQueueRow[] = [];
    const rows = this.table.allValid({ partitionKey: componentKey(repository) }, this.skipInvalid);
    for await (const row of rows) {
      if (row.state === 'done') markedInPlace.push(row);
      else if (row.request) found.push({ key: row.key, request: row.request });
    }
    if (markedInPlace.length > 0) await this.moveToDone(repository, markedInPlace);
    return found;
  }

  /**
   * Done rows first, then the pending rows deleted, each in entity group transactions of 100 rows (one
   * partition each). A run that dies in between leaves rows in both: they are still pending, and the next run
   * takes them again (their requests are in the committed generation: nothing is added) and marks them.
   */
  async markDone(repository: string, keys: readonly string[], revision: number): Promise<void> {
    await this.moveToDone(
      repository,
      keys.map((key) => ({ key, revision })),
    );
  }

  /**
   * `rejected` rows with their requests and reasons, then the pending rows deleted; a run that dies in between
   * leaves them pending, and the next run sets them aside again.
   */
  async setAside(repository: string, requests: readonly SetAsideRequest[]): Promise<void> {
    if (requests.length === 0) return;
    await this.moveOutOfPending(
      requests.map(({ key, request, error }) => ({
        repository,
        key,
        state: 'rejected' as const,
        request,
        error: { code: error.code, message: error.message, context: error.context },
      })),
    );
  }

  /** Writes `done` rows (without their requests), then deletes the same keys from the pending partition. */
  private moveToDone(
    repository: string,
    requests: readonly { readonly key: string; readonly revision?: number }[],
  ): Promise<void> {
    return this.moveOutOfPending(
      requests.map(({ key, revision }) => ({ repository, key, state: 'done' as const, revision })),
    );
  }

  /** Writes `rows` to their own partition (done or rejected), then deletes the same keys from the pending one. */
  private async moveOutOfPending(rows: readonly PublishQueueRow[]): Promise<void> {
    await this.table.ensure();
    await this.table.upsertAll(rows);
    await this.table.deleteAll(rows.map(({ repository, key }) => this.table.key(repository, key)));
  }
}

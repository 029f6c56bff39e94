import { PipelineError } from '../../shared/errors';
import type { PendingPublish, PendingPublishes, PublishRequest } from '../../shared/publishing';
import { publishQueueTable } from '../../shared/storage';
import { componentKey } from '../../shared/storage/table-keys';
import { CatalogueTable, ignoreInvalidRow } from '../storage';
import type { InvalidRowHandler, TableOf, TableStore } from '../storage';

/**
 * Publish requests per repository in Azure Tables (`publishqueue`): partition = repository id, row = the
 * message's key (both escaped for Tables). A request is added by its sender before its message goes, and
 * recorded again by its run (found there, normally); a run takes every `pending` row of the repository and
 * marks them `done` with the revision that included them.
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
   * A point read first: the publish message's row is normally there, written by its sender (`add`), so
   * reading costs one request where an insert that conflicts and then a read cost two. Only a row that is
   * missing (a request sent without one, as `repo publish` and older workers send) is inserted.
   */
  async record(key: string, request: PublishRequest): Promise<'pending' | 'done'> {
    await this.table.ensure();
    const { repository } = request;
    const before = await this.table.get(repository, key);
    if (before) return before.row.state === 'done' ? 'done' : 'pending';
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

  async pending(repository: string): Promise<PendingPublish[]> {
    await this.table.ensure();
    const found: PendingPublish[] = [];
    const rows = this.table.allValid(
      {
        partitionKey: componentKey(repository),
        filter: `${publishQueueTable.column('state')} eq 'pending'`,
      },
      this.skipInvalid,
    );
    for await (const { key, request } of rows) if (request) found.push({ key, request });
    return found;
  }

  /**
   * The repository's rows are one partition: marked in entity group transactions of 100 rows, one request
   * each, instead of one per row. Each is all or nothing; a run that dies between two leaves the rest
   * pending, and the next run marks them (their requests are in the committed generation: nothing is added).
   */
  async markDone(repository: string, keys: readonly string[], revision: number): Promise<void> {
    await this.table.ensure();
    await this.table.upsertAll(keys.map((key) => ({ repository, key, state: 'done' as const, revision })));
  }
}

import { PipelineError } from '../../shared/errors';
import type { PendingPublish, PendingPublishes, PublishRequest } from '../../shared/publishing';
import { publishQueueTable } from '../../shared/storage';
import { componentKey } from '../../shared/storage/table-keys';
import { CatalogueTable, ignoreInvalidRow } from '../storage';
import type { InvalidRowHandler, TableOf, TableStore } from '../storage';

/**
 * Publish requests per repository in Azure Tables (`publishqueue`): partition = repository id, row = the
 * message's key (both escaped for Tables). A request records itself before its run; a run takes every
 * `pending` row of the repository and marks them `done` with the revision that included them.
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

  async record(key: string, request: PublishRequest): Promise<'pending' | 'done'> {
    await this.table.ensure();
    const { repository } = request;
    try {
      await this.table.insert({ repository, key, state: 'pending', request });
      return 'pending';
    } catch (error) {
      if (!PipelineError.is(error, 'storage.conflict')) throw error;
    }
    const stored = await this.table.get(repository, key);
    return stored?.row.state === 'done' ? 'done' : 'pending';
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

  async markDone(repository: string, keys: readonly string[], revision: number): Promise<void> {
    await this.table.ensure();
    for (let i = 0; i < keys.length; i += 16) {
      await Promise.all(
        keys.slice(i, i + 16).map((key) => this.table.upsert({ repository, key, state: 'done', revision })),
      );
    }
  }
}

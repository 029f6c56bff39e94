import type { MessageFailure } from '../../shared/messaging/message-failures';
import { messageFailuresTable } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';
import type { Page, PageRequest } from '../../shared/status/ports';
import { tablePage } from './table-pages';

/** Why messages were dead-lettered: the `messagefailures` table (partition = entity), optionally one entity. */
export class FailureStatusReader {
  private readonly failures: TableOf<typeof messageFailuresTable>;

  constructor(tables: TableStore) {
    this.failures = new CatalogueTable(tables, messageFailuresTable);
  }

  list(entity: string | undefined, page: PageRequest): Promise<Page<MessageFailure>> {
    const query = entity === undefined ? {} : { partitionKey: entity };
    return tablePage(this.failures, query, page, (failure) => failure);
  }
}

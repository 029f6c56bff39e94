import type { MessageFailure, MessageFailureLog } from '../shared/messaging/message-failures';
import { messageFailuresTable } from '../shared/storage';
import { CatalogueTable } from './storage';
import type { TableOf, TableStore } from './storage';

/** Message failures in Azure Tables: partition = entity, row = message id digest; the latest delivery wins. */
export class TableMessageFailures implements MessageFailureLog {
  private readonly failures: TableOf<typeof messageFailuresTable>;

  constructor(tables: TableStore) {
    this.failures = new CatalogueTable(tables, messageFailuresTable);
  }

  async record(failure: MessageFailure): Promise<void> {
    await this.failures.ensure();
    await this.failures.upsert(failure, 'replace');
  }

  async get(entity: string, messageId: string): Promise<MessageFailure | undefined> {
    await this.failures.ensure();
    return (await this.failures.get(entity, messageId))?.row;
  }
}

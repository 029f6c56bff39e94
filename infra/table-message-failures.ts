import type { MessageFailure, MessageFailureLog } from '../shared/messaging/message-failures';
import { ensureOnce } from './storage/ensure-once';
import { digestKey } from '../shared/storage/table-keys';
import type { TableStore } from './storage';

export const MESSAGE_FAILURES_TABLE = 'messagefailures';

/** Message failures in Azure Tables: partition = entity, row = message id digest; the latest delivery wins. */
export class TableMessageFailures implements MessageFailureLog {
  private readonly ensure: () => Promise<void>;

  constructor(private readonly tables: TableStore) {
    this.ensure = ensureOnce(() => tables.ensureTable(MESSAGE_FAILURES_TABLE));
  }

  async record(failure: MessageFailure): Promise<void> {
    await this.ensure();
    await this.tables.upsert(
      MESSAGE_FAILURES_TABLE,
      {
        partitionKey: failure.entity,
        rowKey: digestKey(failure.messageId),
        ...failure,
        context: JSON.stringify(failure.context),
      },
      'replace',
    );
  }

  async get(entity: string, messageId: string): Promise<MessageFailure | undefined> {
    await this.ensure();
    const row = await this.tables.get<Record<string, unknown>>(
      MESSAGE_FAILURES_TABLE,
      entity,
      digestKey(messageId),
    );
    if (!row) return undefined;
    const e = row.entity;
    return {
      entity: String(e['entity']),
      messageId: String(e['messageId']),
      code: String(e['code']),
      message: String(e['message']),
      retryable: e['retryable'] === true,
      context: JSON.parse(String(e['context'] ?? '{}')) as MessageFailure['context'],
      deliveryCount: Number(e['deliveryCount'] ?? 0),
      at: String(e['at']),
    };
  }
}

import type { MessageFailure } from '../../shared/messaging/message-failures';
import { MESSAGE_FAILURES_TABLE } from '../table-message-failures';
import type { TableStore } from '../storage';
import type { Page, PageRequest } from '../../shared/status/ports';
import { tablePage } from './table-pages';

type Row = Record<string, unknown>;

/** Why messages were dead-lettered: the `messagefailures` table (partition = entity), optionally one entity. */
export class FailureStatusReader {
  constructor(private readonly tables: TableStore) {}

  list(entity: string | undefined, page: PageRequest): Promise<Page<MessageFailure>> {
    const query = entity === undefined ? {} : { partitionKey: entity };
    return tablePage<Row, MessageFailure>(
      this.tables,
      MESSAGE_FAILURES_TABLE,
      query,
      page,
      ({ entity: e }) => ({
        entity: String(e['entity']),
        messageId: String(e['messageId']),
        code: String(e['code']),
        message: String(e['message']),
        retryable: e['retryable'] === true,
        context: parseContext(e['context']),
        deliveryCount: Number(e['deliveryCount'] ?? 0),
        at: String(e['at']),
      }),
    );
  }
}

function parseContext(value: unknown): MessageFailure['context'] {
  try {
    const parsed: unknown = JSON.parse(String(value ?? '{}'));
    return typeof parsed === 'object' && parsed !== null ? (parsed as MessageFailure['context']) : {};
  } catch {
    return {};
  }
}

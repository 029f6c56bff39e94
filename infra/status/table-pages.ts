import { PipelineError } from '../../shared/errors';
import type { QueryOptions, StoredEntity, TableStore } from '../storage';
import { decodeToken, encodeToken } from './continuation';
import type { Page, PageRequest } from '../../shared/status/ports';

/**
 * One API page from a table query: the Tables continuation token wrapped as the API's token. A table that
 * does not exist yet (nothing was ever written to it) reads as empty, not as an error.
 */
export async function tablePage<Row extends object, Item>(
  tables: TableStore,
  table: string,
  query: Omit<QueryOptions, 'pageSize' | 'continuationToken'>,
  page: PageRequest,
  toItem: (row: StoredEntity<Row>) => Item,
): Promise<Page<Item>> {
  const continuationToken = decodeToken(table, page.continuationToken);
  try {
    const result = await tables.query<Row>(table, {
      ...query,
      pageSize: page.limit,
      ...(continuationToken ? { continuationToken } : {}),
    });
    const next = encodeToken(table, result.continuationToken);
    return { items: result.items.map(toItem), ...(next ? { continuationToken: next } : {}) };
  } catch (error) {
    if (isMissingTable(error)) return { items: [] };
    throw error;
  }
}

/** One row, or `undefined` when it or its whole table does not exist. */
export async function tableRow<Row extends object>(
  tables: TableStore,
  table: string,
  partitionKey: string,
  rowKey: string,
): Promise<StoredEntity<Row> | undefined> {
  try {
    return await tables.get<Row>(table, partitionKey, rowKey);
  } catch (error) {
    if (isMissingTable(error)) return undefined;
    throw error;
  }
}

export const isMissingTable = (error: unknown): boolean =>
  PipelineError.is(error, 'storage.not-found') && error.context.errorCode === 'TableNotFound';

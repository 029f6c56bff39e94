import { PipelineError } from '../../shared/errors';
import type { QueryOptions } from '../storage';
import type { CatalogueTable } from '../storage/catalogue-table';
import { decodeToken, encodeToken } from './continuation';
import type { Page, PageRequest } from '../../shared/status/ports';

/**
 * One API page from a table query: the Tables continuation token wrapped as the API's token. A table that
 * does not exist yet (nothing was ever written to it) reads as empty, not as an error.
 */
export async function tablePage<Row, Item>(
  table: CatalogueTable<Row, readonly unknown[]>,
  query: Omit<QueryOptions, 'pageSize' | 'continuationToken'>,
  page: PageRequest,
  toItem: (row: Row) => Item,
): Promise<Page<Item>> {
  const continuationToken = decodeToken(table.name, page.continuationToken);
  try {
    const result = await table.query({
      ...query,
      pageSize: page.limit,
      ...(continuationToken ? { continuationToken } : {}),
    });
    const next = encodeToken(table.name, result.continuationToken);
    return { items: result.rows.map(toItem), ...(next ? { continuationToken: next } : {}) };
  } catch (error) {
    if (isMissingTable(error)) return { items: [] };
    throw error;
  }
}

/** One row, or `undefined` when it or its whole table does not exist. */
export async function tableRow<Row, KeyArgs extends readonly unknown[]>(
  table: CatalogueTable<Row, KeyArgs>,
  ...keyArgs: KeyArgs
): Promise<Row | undefined> {
  try {
    return (await table.get(...keyArgs))?.row;
  } catch (error) {
    if (isMissingTable(error)) return undefined;
    throw error;
  }
}

export const isMissingTable = (error: unknown): boolean =>
  PipelineError.is(error, 'storage.not-found') && error.context.errorCode === 'TableNotFound';

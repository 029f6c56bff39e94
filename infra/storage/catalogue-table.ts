import { PipelineError } from '../../shared/errors';
import type { EntityKeys, RawEntity, TableDefinition } from '../../shared/storage/table-definition';
import { ensureOnce } from './ensure-once';
import type { QueryOptions, WriteMode } from './table-entity';
import type { TableStore } from './table-store';

export interface StoredRow<Row> {
  readonly row: Row;
  readonly etag: string;
}

/**
 * What a lenient read does with a row that does not fit its catalogue schema (a `storage.invalid-row` naming
 * table, keys and field): report it. The row stays in the table, for inspection.
 */
export type InvalidRowHandler = (error: PipelineError) => void;

/** The handler of adapters composed without a logger (tests): the row is left out, silently. */
export const ignoreInvalidRow: InvalidRowHandler = () => undefined;

export interface RowPage<Row> {
  readonly rows: Row[];
  /** Pass back to `query` for the next page; `undefined` on the last page. */
  readonly continuationToken: string | undefined;
}

/**
 * One catalogue table over a `TableStore`: rows go in through the entry's `toEntity` and come back through
 * its `fromEntity`, so no adapter builds or reads an entity by hand. `name` is the catalogue's unless a test
 * keeps its own copy of the table.
 */
export class CatalogueTable<Row, KeyArgs extends readonly unknown[]> {
  /** Creates the table on first call; a failure lets the next call try again. Readers that must not create it skip this. */
  readonly ensure: () => Promise<void>;

  constructor(
    private readonly tables: TableStore,
    readonly entry: TableDefinition<Row, KeyArgs>,
    readonly name: string = entry.name,
  ) {
    this.ensure = ensureOnce(() => tables.ensureTable(this.name));
  }

  key(...args: KeyArgs): EntityKeys {
    return this.entry.key(...args);
  }

  async get(...args: KeyArgs): Promise<StoredRow<Row> | undefined> {
    const { partitionKey, rowKey } = this.entry.key(...args);
    const stored = await this.tables.get(this.name, partitionKey, rowKey);
    return stored && { row: this.entry.fromEntity(stored.entity, this.name), etag: stored.etag };
  }

  /** Whether the row exists, without reading what it holds. */
  async has(...args: KeyArgs): Promise<boolean> {
    const { partitionKey, rowKey } = this.entry.key(...args);
    return (await this.tables.get(this.name, partitionKey, rowKey)) !== undefined;
  }

  /** One page of rows in key order. */
  async query(options: QueryOptions = {}): Promise<RowPage<Row>> {
    const page = await this.tables.query(this.name, options);
    const rows = page.items.map(({ entity }) => this.entry.fromEntity(entity, this.name));
    return { rows, continuationToken: page.continuationToken };
  }

  /**
   * Whether any row matches, reading at most one row: pages of one until a row or the end (a filtered query
   * may answer an empty page with a continuation, so one page is not the answer).
   */
  async any(options: Omit<QueryOptions, 'continuationToken' | 'pageSize'>): Promise<boolean> {
    let continuationToken: string | undefined;
    do {
      const page = await this.tables.query(this.name, { ...options, pageSize: 1, continuationToken });
      if (page.items.length > 0) return true;
      continuationToken = page.continuationToken;
    } while (continuationToken);
    return false;
  }

  /** Every row the query matches, page after page. */
  async *all(options: Omit<QueryOptions, 'continuationToken'> = {}): AsyncGenerator<Row> {
    for await (const entity of this.entities(options)) yield this.entry.fromEntity(entity, this.name);
  }

  /**
   * The named columns (`$select`) of every row the query matches, page after page, as stored: for counts and
   * censuses that need a column or two of many rows, not whole rows to parse.
   */
  async *columns(
    names: readonly string[],
    options: Omit<QueryOptions, 'continuationToken' | 'select'> = {},
  ): AsyncGenerator<Record<string, unknown>> {
    yield* this.entities({ ...options, select: names });
  }

  /**
   * Like `all`, but a row that does not fit its schema is handed to `skip` and left out instead of ending
   * the listing: for work lists (pending events, pending publishes, component locks) where one damaged row
   * must not hold up the others.
   */
  async *allValid(
    options: Omit<QueryOptions, 'continuationToken'>,
    skip: InvalidRowHandler,
  ): AsyncGenerator<Row> {
    for await (const entity of this.entities(options)) {
      const row = this.parseOrSkip(entity, skip);
      if (row !== undefined) yield row;
    }
  }

  /** The stored entities the query matches, page after page. */
  private async *entities(options: Omit<QueryOptions, 'continuationToken'>): AsyncGenerator<RawEntity> {
    let continuationToken: string | undefined;
    do {
      const page = await this.tables.query(this.name, { ...options, continuationToken });
      for (const { entity } of page.items) yield entity;
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }

  /** Like `get`, but a stored row that does not fit its schema is handed to `skip` and read as absent. */
  async getValid(skip: InvalidRowHandler, ...args: KeyArgs): Promise<StoredRow<Row> | undefined> {
    const { partitionKey, rowKey } = this.entry.key(...args);
    const stored = await this.tables.get(this.name, partitionKey, rowKey);
    if (!stored) return undefined;
    const row = this.parseOrSkip(stored.entity, skip);
    return row === undefined ? undefined : { row, etag: stored.etag };
  }

  private parseOrSkip(
    entity: Parameters<TableDefinition<Row, KeyArgs>['fromEntity']>[0],
    skip: InvalidRowHandler,
  ): Row | undefined {
    try {
      return this.entry.fromEntity(entity, this.name);
    } catch (error) {
      if (!PipelineError.is(error, 'storage.invalid-row')) throw error;
      skip(error);
      return undefined;
    }
  }

  insert(row: Row): Promise<{ etag: string }> {
    return this.tables.insert(this.name, this.entry.toEntity(row));
  }

  /** Creates or overwrites; `merge` (the default) keeps stored properties the row leaves out. */
  upsert(row: Row, mode?: WriteMode): Promise<{ etag: string }> {
    return this.tables.upsert(this.name, this.entry.toEntity(row), mode);
  }

  /** `upsert` for many rows, in entity group transactions per partition (`TableStore.upsertAll`). */
  upsertAll(rows: readonly Row[], mode?: WriteMode): Promise<void> {
    return this.tables.upsertAll(
      this.name,
      rows.map((row) => this.entry.toEntity(row)),
      mode,
    );
  }

  /** Deletes many rows, in entity group transactions; rows already gone are no error. */
  deleteAll(keys: readonly EntityKeys[]): Promise<void> {
    return this.tables.deleteAll(this.name, keys);
  }

  /** Writes only if the stored row still has `etag`. */
  update(row: Row, options: { readonly etag: string; readonly mode?: WriteMode }): Promise<{ etag: string }> {
    return this.tables.update(this.name, this.entry.toEntity(row), options);
  }

  /** `false` when the row did not exist. With `etag`, deletes only that version. */
  delete(keys: EntityKeys, options: { readonly etag?: string } = {}): Promise<boolean> {
    return this.tables.delete(this.name, keys.partitionKey, keys.rowKey, options);
  }
}

/** The `CatalogueTable` of a catalogue entry, as a field's type: `TableOf<typeof buildsTable>`. */
export type TableOf<Definition> =
  Definition extends TableDefinition<infer Row, infer KeyArgs, string> ? CatalogueTable<Row, KeyArgs> : never;

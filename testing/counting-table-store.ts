import { TableStore } from '../infra/storage';
import type { Entity, QueryOptions, QueryPage, StoredEntity, WriteMode } from '../infra/storage';
import type { StorageTarget } from '../infra/storage';

/** What one table was asked for: point reads (`get`), query pages, and the rows both returned. */
export interface TableReads {
  gets: number;
  queries: number;
  rows: number;
}

/**
 * A `TableStore` on a real account (Azurite) that counts, per catalogue table, the reads made through it, and
 * keeps the test's tables apart: catalogue table `name` is stored as `tableName(name)`, so a test can fill
 * `componentstate` with thousands of rows without touching other tests' tables.
 */
export class CountingTableStore extends TableStore {
  private readonly counts = new Map<string, TableReads>();

  constructor(
    target: StorageTarget,
    readonly tableName: (name: string) => string,
  ) {
    super(target);
  }

  /** The reads of catalogue table `name` so far (zeros when it was never read). */
  readsOf(name: string): TableReads {
    return { ...(this.counts.get(name) ?? { gets: 0, queries: 0, rows: 0 }) };
  }

  /** Rows read from every table so far. */
  rowsRead(): number {
    let rows = 0;
    for (const reads of this.counts.values()) rows += reads.rows;
    return rows;
  }

  resetCounts(): void {
    this.counts.clear();
  }

  override ensureTable(table: string): Promise<void> {
    return super.ensureTable(this.tableName(table));
  }

  override insert<T extends object>(table: string, entity: Entity<T>): Promise<{ etag: string }> {
    return super.insert(this.tableName(table), entity);
  }

  override upsert<T extends object>(
    table: string,
    entity: Entity<T>,
    mode?: WriteMode,
  ): Promise<{ etag: string }> {
    return super.upsert(this.tableName(table), entity, mode);
  }

  override update<T extends object>(
    table: string,
    entity: Entity<T>,
    options: { readonly etag: string; readonly mode?: WriteMode },
  ): Promise<{ etag: string }> {
    return super.update(this.tableName(table), entity, options);
  }

  override async get<T extends object = Record<string, unknown>>(
    table: string,
    partitionKey: string,
    rowKey: string,
  ): Promise<StoredEntity<T> | undefined> {
    const stored = await super.get<T>(this.tableName(table), partitionKey, rowKey);
    const reads = this.readsFor(table);
    reads.gets++;
    if (stored) reads.rows++;
    return stored;
  }

  override async query<T extends object = Record<string, unknown>>(
    table: string,
    options?: QueryOptions,
  ): Promise<QueryPage<T>> {
    const page = await super.query<T>(this.tableName(table), options);
    const reads = this.readsFor(table);
    reads.queries++;
    reads.rows += page.items.length;
    return page;
  }

  override delete(
    table: string,
    partitionKey: string,
    rowKey: string,
    options?: { readonly etag?: string },
  ): Promise<boolean> {
    return super.delete(this.tableName(table), partitionKey, rowKey, options);
  }

  override upsertAll<T extends object>(
    table: string,
    entities: readonly Entity<T>[],
    mode?: WriteMode,
  ): Promise<void> {
    return super.upsertAll(this.tableName(table), entities, mode);
  }

  override deleteAll(
    table: string,
    keys: readonly { partitionKey: string; rowKey: string }[],
  ): Promise<void> {
    return super.deleteAll(this.tableName(table), keys);
  }

  private readsFor(table: string): TableReads {
    let reads = this.counts.get(table);
    if (!reads) this.counts.set(table, (reads = { gets: 0, queries: 0, rows: 0 }));
    return reads;
  }
}

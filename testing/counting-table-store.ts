import { TableStore } from '../infra/storage';
import { MAX_TRANSACTION_ENTITIES } from '../infra/storage/table-store';
import type { Entity, QueryOptions, QueryPage, StoredEntity, WriteMode } from '../infra/storage';
import type { StorageTarget } from '../infra/storage';

/** What one table was asked for: point reads (`get`), query pages, and the rows both returned. */
export interface TableReads {
  gets: number;
  queries: number;
  rows: number;
}

/**
 * A `TableStore` on a real account (Azurite) that counts, per catalogue table, the reads and writes made
 * through it (`readsOf`, `writesOf`: insert, upsert, update, delete and a transaction each count one, a
 * failed insert included), and
 * keeps the test's tables apart: catalogue table `name` is stored as `tableName(name)`, so a test can fill
 * `componentstate` with thousands of rows without touching other tests' tables.
 */
export class CountingTableStore extends TableStore {
  private readonly counts = new Map<string, TableReads>();
  private readonly writes = new Map<string, number>();

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

  /** The writes to catalogue table `name` so far (each a request, whether it succeeded or not). */
  writesOf(name: string): number {
    return this.writes.get(name) ?? 0;
  }

  /** Rows read from every table so far. */
  rowsRead(): number {
    let rows = 0;
    for (const reads of this.counts.values()) rows += reads.rows;
    return rows;
  }

  resetCounts(): void {
    this.counts.clear();
    this.writes.clear();
  }

  override ensureTable(table: string): Promise<void> {
    return super.ensureTable(this.tableName(table));
  }

  override insert<T extends object>(table: string, entity: Entity<T>): Promise<{ etag: string }> {
    this.wrote(table);
    return super.insert(this.tableName(table), entity);
  }

  override upsert<T extends object>(
    table: string,
    entity: Entity<T>,
    mode?: WriteMode,
  ): Promise<{ etag: string }> {
    this.wrote(table);
    return super.upsert(this.tableName(table), entity, mode);
  }

  /** One write: a transaction is one request. */
  override upsertAll<T extends object>(
    table: string,
    entities: readonly Entity<T>[],
    mode?: WriteMode,
  ): Promise<void> {
    for (let n = transactionsFor(entities); n > 0; n--) this.wrote(table);
    return super.upsertAll(this.tableName(table), entities, mode);
  }

  override deleteAll(
    table: string,
    keys: readonly { partitionKey: string; rowKey: string }[],
  ): Promise<void> {
    for (let n = transactionsFor(keys); n > 0; n--) this.wrote(table);
    return super.deleteAll(this.tableName(table), keys);
  }

  override update<T extends object>(
    table: string,
    entity: Entity<T>,
    options: { readonly etag: string; readonly mode?: WriteMode },
  ): Promise<{ etag: string }> {
    this.wrote(table);
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
    this.wrote(table);
    return super.delete(this.tableName(table), partitionKey, rowKey, options);
  }

  private wrote(table: string): void {
    this.writes.set(table, (this.writes.get(table) ?? 0) + 1);
  }

  private readsFor(table: string): TableReads {
    let reads = this.counts.get(table);
    if (!reads) this.counts.set(table, (reads = { gets: 0, queries: 0, rows: 0 }));
    return reads;
  }
}

/** How many entity group transactions `upsertAll`/`deleteAll` send for these rows (100 a partition each). */
function transactionsFor(rows: readonly { partitionKey: string; rowKey: string }[]): number {
  const byPartition = new Map<string, Set<string>>();
  for (const row of rows)
    byPartition.set(row.partitionKey, (byPartition.get(row.partitionKey) ?? new Set()).add(row.rowKey));
  let count = 0;
  for (const keys of byPartition.values()) count += Math.ceil(keys.size / MAX_TRANSACTION_ENTITIES);
  return count;
}

import { TableClient } from '@azure/data-tables';
import type { TableEntityResult, TableServiceClientOptions, TransactionAction } from '@azure/data-tables';
import pLimit from 'p-limit';
import { classifyStorageError, requireEtag, storageCall } from './storage-errors';
import type { StoragePlace } from './storage-errors';
import { combineFilter, toStored } from './table-entity';
import type { Entity, QueryOptions, QueryPage, StoredEntity, WriteMode } from './table-entity';
import { storageOperations } from './operation-tally';
import { accountNameFromUrl, credentialOf, DEFAULT_TABLE_TRY_TIMEOUT_MS } from './storage-target';
import type { StorageClientOptions, StorageTarget } from './storage-target';

/**
 * Table storage, generic over entity shape. Optimistic concurrency is by ETag: `update` and `delete` with an
 * `etag` fail with `storage.precondition-failed` when the entity changed; `insert` fails with `storage.conflict`
 * when it exists. A missing entity is `undefined` / `false`; a missing table stays an error (`storage.not-found`).
 */
export class TableStore {
  private readonly clients = new Map<string, TableClient>();
  private readonly clientOptions: TableServiceClientOptions;
  private readonly callOptions: { requestOptions: { timeout: number } };

  constructor(
    private readonly target: StorageTarget,
    options: StorageClientOptions = {},
  ) {
    const maxRetries = options.maxTries === undefined ? undefined : Math.max(0, options.maxTries - 1);
    const retryOptions = { maxRetries, retryDelayInMs: options.retryDelayMs };
    // Azurite serves http and the SDK refuses a key over http unless told otherwise. Never for a token
    // credential: a bearer token must not travel unencrypted.
    const allowInsecureConnection = 'connectionString' in target;
    this.clientOptions = { allowInsecureConnection, retryOptions };
    this.callOptions = { requestOptions: { timeout: options.tryTimeoutMs ?? DEFAULT_TABLE_TRY_TIMEOUT_MS } };
  }

  async ensureTable(table: string): Promise<void> {
    await storageCall('ensureTable', this.place(table), () =>
      this.client(table).createTable(this.callOptions),
    );
  }

  async insert<T extends object>(table: string, entity: Entity<T>): Promise<{ etag: string }> {
    const place = this.place(table, entity);
    storageOperations.table(table, 'write');
    const response = await storageCall('insert', place, () =>
      this.client(table).createEntity(entity, this.callOptions),
    );
    return { etag: requireEtag(response.etag, 'insert', place) };
  }

  /** Creates or overwrites without a condition; `merge` keeps properties the entity does not mention. */
  async upsert<T extends object>(
    table: string,
    entity: Entity<T>,
    mode: WriteMode = 'merge',
  ): Promise<{ etag: string }> {
    const place = this.place(table, entity);
    storageOperations.table(table, 'write');
    const response = await storageCall('upsert', place, () =>
      this.client(table).upsertEntity(entity, sdkMode(mode), this.callOptions),
    );
    return { etag: requireEtag(response.etag, 'upsert', place) };
  }

  /** Writes only if the stored entity still has `etag` (`'*'`: any version, but it must exist). */
  async update<T extends object>(
    table: string,
    entity: Entity<T>,
    options: { readonly etag: string; readonly mode?: WriteMode },
  ): Promise<{ etag: string }> {
    const place = this.place(table, entity);
    storageOperations.table(table, 'write');
    const response = await storageCall('update', place, () =>
      this.client(table).updateEntity(entity, sdkMode(options.mode ?? 'merge'), {
        ...this.callOptions,
        etag: options.etag,
      }),
    );
    return { etag: requireEtag(response.etag, 'update', place) };
  }

  async get<T extends object = Record<string, unknown>>(
    table: string,
    partitionKey: string,
    rowKey: string,
  ): Promise<StoredEntity<T> | undefined> {
    const place = this.place(table, { partitionKey, rowKey });
    storageOperations.table(table, 'get');
    const result = await this.missingAsUndefined('get', place, () =>
      this.client(table).getEntity<T>(partitionKey, rowKey, this.callOptions),
    );
    return result === undefined ? undefined : toStored<T>(result as TableEntityResult<T>);
  }

  /**
   * Creates or overwrites many entities in entity group transactions: per partition, batches of at most
   * `MAX_TRANSACTION_ENTITIES` entities and about `BATCH_BYTES` of JSON (the service's limits are 100 and
   * 4 MiB), a few batches at a time. Each batch is atomic; the whole call is not, which an upsert's re-run
   * makes good. The tally counts one write per entity, as for `upsert`.
   */
  async upsertAll<T extends object>(
    table: string,
    entities: readonly Entity<T>[],
    mode: WriteMode = 'merge',
  ): Promise<void> {
    await this.eachBatch(table, entities, async (batch, place) => {
      const actions = batch.map((entity): TransactionAction => [
        'upsert',
        entity as Entity<Record<string, unknown>>,
        sdkMode(mode),
      ]);
      await storageCall('upsertAll', place, () =>
        this.client(table).submitTransaction(actions, this.callOptions),
      );
    });
  }

  /**
   * Deletes many entities, in entity group transactions as `upsertAll` writes them. A batch in which some
   * entity is already gone fails whole; its entities are then deleted one by one, so that deleting again
   * (a re-run after a crash) succeeds.
   */
  async deleteAll(table: string, keys: readonly { partitionKey: string; rowKey: string }[]): Promise<void> {
    await this.eachBatch(table, keys, async (batch, place) => {
      const actions: TransactionAction[] = batch.map((k) => ['delete', k]);
      const done = await this.missingAsUndefined('deleteAll', place, () =>
        this.client(table).submitTransaction(actions, this.callOptions),
      );
      if (done === undefined)
        for (const k of batch) await this.deleteOne(table, k.partitionKey, k.rowKey, {});
    });
  }

  /** Sends `rows` as batches (`batchesOf`), a few at a time, tallying one write per row. */
  private async eachBatch<E extends { partitionKey: string; rowKey: string }>(
    table: string,
    rows: readonly E[],
    send: (batch: E[], place: StoragePlace) => Promise<void>,
  ): Promise<void> {
    const limit = pLimit(BATCHES_AT_ONCE);
    await Promise.all(
      batchesOf(rows).map((batch) =>
        limit(async () => {
          for (let i = 0; i < batch.length; i++) storageOperations.table(table, 'write');
          await send(batch, this.place(table, batch[0]));
        }),
      ),
    );
  }

  /** One page of entities in key order; pass `continuationToken` back for the next. */
  async query<T extends object = Record<string, unknown>>(
    table: string,
    options: QueryOptions = {},
  ): Promise<QueryPage<T>> {
    const filter = combineFilter(options.partitionKey, options.filter);
    const place = { ...this.place(table), partitionKey: options.partitionKey };
    const page = await storageCall('query', place, async () => {
      const pages = this.client(table)
        .listEntities<T>({
          ...this.callOptions,
          queryOptions: { filter, ...(options.select ? { select: [...options.select] } : {}) },
        })
        .byPage({ maxPageSize: options.pageSize, continuationToken: options.continuationToken });
      const next = await pages.next();
      return next.done ? undefined : next.value;
    });
    const items: StoredEntity<T>[] = page ? page.map((result) => toStored<T>(result)) : [];
    storageOperations.table(table, 'query', items.length);
    return { items, continuationToken: page?.continuationToken || undefined };
  }

  /** `false` when the entity did not exist. With `etag`, deletes only that version. */
  delete(
    table: string,
    partitionKey: string,
    rowKey: string,
    options: { readonly etag?: string } = {},
  ): Promise<boolean> {
    return this.deleteOne(table, partitionKey, rowKey, options);
  }

  private async deleteOne(
    table: string,
    partitionKey: string,
    rowKey: string,
    options: { readonly etag?: string },
  ): Promise<boolean> {
    const place = this.place(table, { partitionKey, rowKey });
    storageOperations.table(table, 'write');
    const deleted = await this.missingAsUndefined('delete', place, () =>
      this.client(table).deleteEntity(partitionKey, rowKey, { ...this.callOptions, etag: options.etag }),
    );
    return deleted !== undefined;
  }

  private async missingAsUndefined<R>(op: string, place: StoragePlace, action: () => Promise<R>) {
    try {
      return await action();
    } catch (error) {
      const classified = classifyStorageError(error, op, place);
      const tableMissing = classified.context.errorCode === 'TableNotFound';
      if (classified.code === 'storage.not-found' && !tableMissing) return undefined;
      throw classified;
    }
  }

  private client(table: string): TableClient {
    let client = this.clients.get(table);
    if (!client) {
      client =
        'connectionString' in this.target
          ? TableClient.fromConnectionString(this.target.connectionString, table, this.clientOptions)
          : new TableClient(this.target.url, table, credentialOf(this.target), this.clientOptions);
      this.clients.set(table, client);
    }
    return client;
  }

  private place(table: string, keys?: { partitionKey: string; rowKey: string }): StoragePlace {
    const account = accountNameFromUrl(this.client(table).url);
    return { account, table, partitionKey: keys?.partitionKey, rowKey: keys?.rowKey };
  }
}

/** The service takes at most 100 entities and 4 MiB per entity group transaction. */
export const MAX_TRANSACTION_ENTITIES = 100;
const BATCH_BYTES = 3 * 1024 * 1024;
/** How many batches are in flight at once. */
const BATCHES_AT_ONCE = 4;

/**
 * Entities grouped by partition, then cut into batches within the transaction limits, in their order. A row
 * named twice is kept once, as last given: a transaction may name each entity only once.
 */
function batchesOf<E extends { partitionKey: string; rowKey: string }>(entities: readonly E[]): E[][] {
  const byPartition = new Map<string, Map<string, E>>();
  for (const entity of entities) {
    const rows = byPartition.get(entity.partitionKey) ?? new Map<string, E>();
    byPartition.set(entity.partitionKey, rows.set(entity.rowKey, entity));
  }
  const batches: E[][] = [];
  for (const rows of byPartition.values()) {
    const list = [...rows.values()];
    let batch: E[] = [];
    let bytes = 0;
    for (const entity of list) {
      const size = JSON.stringify(entity).length;
      if (batch.length > 0 && (batch.length >= MAX_TRANSACTION_ENTITIES || bytes + size > BATCH_BYTES)) {
        batches.push(batch);
        batch = [];
        bytes = 0;
      }
      batch.push(entity);
      bytes += size;
    }
    if (batch.length > 0) batches.push(batch);
  }
  return batches;
}

function sdkMode(mode: WriteMode): 'Merge' | 'Replace' {
  return mode === 'merge' ? 'Merge' : 'Replace';
}

import { odata } from '@azure/data-tables';
import { beforeAll, describe, expect, test } from 'vitest';
import { uniqueName, useAzurite } from '../../../testing/azurite';
import { failure } from '../../../testing/failures';

interface Build {
  state: string;
  attempt?: number;
}

describe('TableStore on Azurite', () => {
  const azurite = useAzurite();
  const store = azurite.tables;
  const table = azurite.name('builds');

  beforeAll(async () => {
    await store.ensureTable(table);
    await store.ensureTable(table); // idempotent
  });

  test('insert then get; a duplicate insert is storage.conflict; a missing entity is undefined', async () => {
    const { etag } = await store.insert<Build>(table, {
      partitionKey: 'pkg',
      rowKey: 'bash',
      state: 'queued',
    });
    const stored = await store.get<Build>(table, 'pkg', 'bash');
    expect(stored).toMatchObject({ etag, entity: { partitionKey: 'pkg', rowKey: 'bash', state: 'queued' } });
    expect(stored?.entity).not.toHaveProperty('etag');
    const error = await failure(
      store.insert<Build>(table, { partitionKey: 'pkg', rowKey: 'bash', state: 'x' }),
    );
    expect(error.code).toBe('storage.conflict');
    expect(error.context).toMatchObject({
      table,
      partitionKey: 'pkg',
      rowKey: 'bash',
      errorCode: 'EntityAlreadyExists',
    });
    expect(await store.get(table, 'pkg', 'no-such-row')).toBeUndefined();
  });

  test('update with a stale ETag fails with storage.precondition-failed and keeps the winner', async () => {
    const { etag: v1 } = await store.insert<Build>(table, {
      partitionKey: 'pkg',
      rowKey: 'curl',
      state: 'queued',
    });
    const { etag: v2 } = await store.update<Build>(
      table,
      { partitionKey: 'pkg', rowKey: 'curl', state: 'building' },
      { etag: v1 },
    );
    expect(v2).not.toBe(v1);
    const error = await failure(
      store.update<Build>(table, { partitionKey: 'pkg', rowKey: 'curl', state: 'failed' }, { etag: v1 }),
    );
    expect(error.code).toBe('storage.precondition-failed');
    expect(error.retryable).toBe(false);
    expect((await store.get<Build>(table, 'pkg', 'curl'))?.entity.state).toBe('building');
  });

  test('upsert merges by default and replaces on request', async () => {
    await store.upsert<Build>(table, { partitionKey: 'pkg', rowKey: 'zlib', state: 'queued', attempt: 1 });
    await store.upsert<Build>(table, { partitionKey: 'pkg', rowKey: 'zlib', state: 'building' });
    expect((await store.get<Build>(table, 'pkg', 'zlib'))?.entity).toMatchObject({
      state: 'building',
      attempt: 1,
    });
    await store.upsert<Build>(table, { partitionKey: 'pkg', rowKey: 'zlib', state: 'done' }, 'replace');
    expect((await store.get<Build>(table, 'pkg', 'zlib'))?.entity).not.toHaveProperty('attempt');
  });

  test('query pages through one partition with continuation tokens and applies the filter', async () => {
    const partition = uniqueName('part');
    for (let i = 0; i < 7; i += 1) {
      await store.insert(table, { partitionKey: partition, rowKey: `r${i}`, attempt: i });
    }
    await store.insert(table, { partitionKey: `${partition}x`, rowKey: 'other', attempt: 100 });

    const sizes: number[] = [];
    const rows: string[] = [];
    let token: string | undefined;
    do {
      const page = await store.query<Build>(table, {
        partitionKey: partition,
        pageSize: 3,
        continuationToken: token,
      });
      sizes.push(page.items.length);
      rows.push(...page.items.map((item) => item.entity.rowKey));
      token = page.continuationToken;
    } while (token !== undefined);
    expect(sizes).toEqual([3, 3, 1]);
    expect(rows).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);

    const filtered = await store.query<Build>(table, {
      partitionKey: partition,
      filter: odata`attempt ge ${5}`,
    });
    expect(filtered.items.map((item) => item.entity.rowKey)).toEqual(['r5', 'r6']);
    expect(filtered.continuationToken).toBeUndefined();
  });

  test('query with select returns only the named properties of each row', async () => {
    const partition = uniqueName('select');
    await store.insert(table, { partitionKey: partition, rowKey: 'a', state: 'queued', attempt: 1 });
    await store.insert(table, { partitionKey: partition, rowKey: 'b', state: 'done', attempt: 2 });
    const page = await store.query<Build>(table, { partitionKey: partition, select: ['state'] });
    expect(page.items.map((item) => item.entity.state)).toEqual(['queued', 'done']);
    for (const item of page.items) expect(item.entity).not.toHaveProperty('attempt');
    const whole = await store.query<Build>(table, { partitionKey: partition });
    expect(whole.items.map((item) => item.entity.attempt)).toEqual([1, 2]);
  });

  test('upsertAll merges by default and writes a row named twice once, as last given', async () => {
    await store.upsert<Build>(table, { partitionKey: 'tx', rowKey: 'kept', state: 'queued', attempt: 3 });
    const entities = Array.from({ length: 100 }, (_, i) => ({
      partitionKey: 'tx',
      rowKey: i === 0 ? 'kept' : `r${String(i).padStart(3, '0')}`,
      state: 'done',
    }));
    // 101 entities naming 100 rows: one transaction may name a row only once.
    await store.upsertAll<Build>(table, [...entities, { partitionKey: 'tx', rowKey: 'r001', state: 'last' }]);
    const page = await store.query<Build>(table, { partitionKey: 'tx' });
    expect(page.items).toHaveLength(100);
    expect((await store.get<Build>(table, 'tx', 'kept'))?.entity).toMatchObject({
      state: 'done',
      attempt: 3,
    });
    expect((await store.get<Build>(table, 'tx', 'r001'))?.entity.state).toBe('last');
  });

  test('delete honours the ETag and reports whether the entity existed', async () => {
    const { etag } = await store.insert<Build>(table, { partitionKey: 'pkg', rowKey: 'gone', state: 'a' });
    await store.update<Build>(table, { partitionKey: 'pkg', rowKey: 'gone', state: 'b' }, { etag });
    expect((await failure(store.delete(table, 'pkg', 'gone', { etag }))).code).toBe(
      'storage.precondition-failed',
    );
    expect(await store.delete(table, 'pkg', 'gone')).toBe(true);
    expect(await store.delete(table, 'pkg', 'gone')).toBe(false);
  });

  test('a missing table is storage.not-found, not a missing entity', async () => {
    const error = await failure(store.get(uniqueName('absent'), 'p', 'r'));
    expect(error.code).toBe('storage.not-found');
    expect(error.context.errorCode).toBe('TableNotFound');
  });

  test('upsertAll writes rows of several partitions in batches, merging; deleteAll removes them, also when some are gone', async () => {
    const many = azurite.name('batched');
    await store.ensureTable(many);
    const rows = (partitionKey: string, n: number, extra: Record<string, unknown>) =>
      Array.from({ length: n }, (_, i) => ({
        partitionKey,
        rowKey: `r${String(i).padStart(3, '0')}`,
        ...extra,
      }));
    // 250 rows (more than one batch of 100) in one partition, 3 large ones in another.
    const large = 'x'.repeat(30_000);
    await store.upsertAll(many, [...rows('a', 250, { state: 'queued' }), ...rows('b', 3, { blob: large })]);
    await store.upsertAll(many, rows('a', 250, { attempt: 2 })); // merge keeps `state`
    const a = await store.query<Build>(many, { partitionKey: 'a' });
    const all: Build[] = [...a.items.map((i) => i.entity)];
    for (let token = a.continuationToken; token;) {
      const next = await store.query<Build>(many, { partitionKey: 'a', continuationToken: token });
      all.push(...next.items.map((i) => i.entity));
      token = next.continuationToken;
    }
    expect(all).toHaveLength(250);
    expect(all.every((row) => row.state === 'queued' && row.attempt === 2)).toBe(true);
    expect((await store.get<{ blob: string }>(many, 'b', 'r002'))?.entity.blob).toBe(large);

    await store.delete(many, 'a', 'r017'); // gone already: the batch holding it falls back to single deletes
    await store.deleteAll(many, [...rows('a', 250, {}), ...rows('b', 3, {})]);
    expect((await store.query(many, {})).items).toEqual([]);
    await store.deleteAll(many, rows('b', 3, {})); // deleting again is no error
  });
});

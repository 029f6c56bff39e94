import { beforeAll, describe, expect, test } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { BlobStore } from '../../../infra/storage';
import { azuriteConnectionString, uniqueName, useAzurite } from '../../../testing/azurite';
import { failure } from '../../../testing/failures';

describe('BlobStore on Azurite', () => {
  const azurite = useAzurite();
  const store = azurite.blobs;
  const container = azurite.name('blobs');

  beforeAll(async () => {
    await store.ensureContainer(container);
    await store.ensureContainer(container); // idempotent
  });

  test('put then get round-trips bytes, content type and metadata', async () => {
    const { etag } = await store.put(container, 'docs/a.json', '{"a":1}', {
      contentType: 'application/json',
      metadata: { source: 'test' },
    });
    const blob = await store.get(container, 'docs/a.json');
    expect(blob?.bytes.toString('utf8')).toBe('{"a":1}');
    expect(blob?.etag).toBe(etag);
    expect(blob?.contentType).toBe('application/json');
    expect(blob?.metadata).toEqual({ source: 'test' });
  });

  test('a missing blob is undefined; a missing container is storage.not-found', async () => {
    expect(await store.get(container, 'no/such/blob')).toBeUndefined();
    expect(await store.head(container, 'no/such/blob')).toBeUndefined();
    const error = await failure(store.get(uniqueName('absent'), 'x'));
    expect(error.code).toBe('storage.not-found');
    expect(error.retryable).toBe(false);
    expect(error.context.errorCode).toBe('ContainerNotFound');
  });

  test('of 20 concurrent create-only writes exactly one wins; the rest are storage.conflict', async () => {
    const name = 'race/create';
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.put(container, name, `writer ${i}`, { ifNoneMatch: '*' })),
    );
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    for (const r of results) {
      if (r.status === 'rejected') expect(PipelineError.is(r.reason, 'storage.conflict')).toBe(true);
    }
    expect((await store.get(container, name))?.bytes.toString()).toBe(`writer ${winners[0]}`);
  });

  test('a write with a stale ETag fails with storage.precondition-failed and changes nothing', async () => {
    const name = 'pointer/latest';
    const first = await store.put(container, name, 'v1');
    const second = await store.put(container, name, 'v2', { ifMatch: first.etag });
    expect(second.etag).not.toBe(first.etag);
    const error = await failure(store.put(container, name, 'v3', { ifMatch: first.etag }));
    expect(error.code).toBe('storage.precondition-failed');
    expect(error.retryable).toBe(false);
    expect(error.context).toMatchObject({ container, blob: name, status: 412 });
    expect((await store.get(container, name))?.bytes.toString()).toBe('v2');
  });

  test('of 10 concurrent updates from the same ETag exactly one wins', async () => {
    const name = 'pointer/contended';
    const { etag } = await store.put(container, name, 'base');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => store.put(container, name, `update ${i}`, { ifMatch: etag })),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const losers = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(losers.every((r) => PipelineError.is(r.reason, 'storage.precondition-failed'))).toBe(true);
  });

  test('ranged reads return exactly the requested bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    await store.put(container, 'range/bin', bytes);
    const middle = await store.getRange(container, 'range/bin', 100, 10);
    expect([...(middle?.bytes ?? [])]).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    const tail = await store.getRange(container, 'range/bin', 250, 10);
    expect([...(tail?.bytes ?? [])]).toEqual([250, 251, 252, 253, 254, 255]);
    expect((await failure(store.getRange(container, 'range/bin', 300, 10))).code).toBe(
      'storage.invalid-range',
    );
    expect((await failure(store.getRange(container, 'range/bin', -1, 10))).code).toBe(
      'storage.invalid-range',
    );
    expect(await store.getRange(container, 'range/missing', 0, 1)).toBeUndefined();
  });

  test('head and list report names, sizes and ETags under a prefix', async () => {
    const a = await store.put(container, 'list/a', 'aaa');
    await store.put(container, 'list/b', 'bbbbb', { metadata: { kind: 'b' } });
    await store.put(container, 'listing-other', 'x');
    const listed = [];
    for await (const item of store.list(container, 'list/')) listed.push(item);
    expect(listed.map((i) => [i.name, i.size])).toEqual([
      ['list/a', 3],
      ['list/b', 5],
    ]);
    expect(listed[0]?.etag).toBe(a.etag);
    // A listed ETag works as a write condition.
    await store.put(container, 'list/a', 'aaaa', { ifMatch: listed[0]?.etag ?? '' });
    const head = await store.head(container, 'list/b');
    expect(head).toMatchObject({ name: 'list/b', size: 5, metadata: { kind: 'b' } });
  });

  test('list reads page after page, in name order', async () => {
    const paged = new BlobStore({ connectionString: azuriteConnectionString() }, { listPageSize: 2 });
    const names = ['pages/1', 'pages/2', 'pages/3', 'pages/4', 'pages/5'];
    for (const name of [...names].reverse()) await paged.put(container, name, name);
    const listed = [];
    for await (const item of paged.list(container, 'pages/')) listed.push(item.name);
    expect(listed).toEqual(names);
  });

  test('delete honours ifMatch and reports whether the blob existed', async () => {
    const first = await store.put(container, 'delete/me', '1');
    await store.put(container, 'delete/me', '2');
    expect((await failure(store.delete(container, 'delete/me', { ifMatch: first.etag }))).code).toBe(
      'storage.precondition-failed',
    );
    expect(await store.delete(container, 'delete/me')).toBe(true);
    expect(await store.delete(container, 'delete/me')).toBe(false);
    expect(await store.get(container, 'delete/me')).toBeUndefined();
  });
});

import { expect, test } from 'vitest';
import { composePublisher } from '../../../infra/publishing';
import { CatalogueTable } from '../../../infra/storage';
import { publishRequestKey } from '../../../shared/publishing';
import { publishQueueTable } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { CountingTableStore } from '../../../testing/counting-table-store';
import { publishRequest, stageGenerated } from '../../../testing/rpm/published-repository';

/**
 * What a publish request costs in `publishqueue` operations (issue 20, "flatten what grows"), through the
 * real adapters on Azurite: the worker adds each request before sending its message, the first message's
 * run takes them all, and each later message finds its request done. A run reads what waits, however much
 * the repository has published before.
 */
const azurite = useAzurite();
const REPO = 'base/x86_64';
const REQUESTS = 12;

/**
 * A publisher on tables and containers of its own, its `publishqueue` (stored as `pendingTable`) counted, and
 * `request(name)`: a publish request of one generated package, staged in its artifacts.
 */
async function publishing() {
  const pendingTable = azurite.name('pq');
  const tables = new CountingTableStore({ connectionString: azurite.connectionString }, (name) =>
    name === publishQueueTable.name ? pendingTable : name,
  );
  const containers = {
    repositories: azurite.name('repos'),
    state: azurite.name('state'),
    artifacts: azurite.name('art'),
  };
  await azurite.blobs.ensureContainer(containers.artifacts);
  const { publisher, pending } = composePublisher(
    { blobs: azurite.blobs, tables, events: { publish: () => Promise.resolve() } },
    { containers, pendingTable: publishQueueTable.name },
  );
  const request = async (name: string) => {
    const stage = { name, version: '1.0', release: '1.azl4', arch: 'x86_64' };
    return publishRequest(REPO, [await stageGenerated(azurite.blobs, containers.artifacts, stage)]);
  };
  return { pendingTable, tables, publisher, pending, request };
}

test('a request is one write and a read or two; a run moves what it took to done in two writes', async () => {
  const { tables, publisher, pending, request } = await publishing();
  const requests = [];
  for (let i = 0; i < REQUESTS; i++) requests.push(await request(`pkg${i}`));

  // The build workers, before sending each `publish` message.
  for (const request of requests) await pending.add(publishRequestKey(request), request);
  // The messages, delivered twice each (a redelivery changes nothing).
  const outcomes = [];
  for (const request of [...requests, ...requests]) outcomes.push(await publisher.publish(request));

  expect(outcomes.map((o) => o.revision)).toEqual(outcomes.map(() => 1));
  expect(outcomes.filter((o) => o.changed)).toHaveLength(1);
  expect(outcomes[0]?.requests).toHaveLength(REQUESTS);
  const reads = tables.readsOf(publishQueueTable.name);
  // Was: an insert per add, then per message an insert that conflicts and a read, and a write per request
  // marked done (12 requests: 48 writes, 24 reads). Now the run writes its done rows in one transaction and
  // deletes the pending ones in another. The first message reads its pending row; every later delivery, after
  // the run, misses it and reads the done row. (With the coalescing window most messages come before their
  // run and read one row; the bench's runs count both.)
  expect(tables.writesOf(publishQueueTable.name)).toBe(REQUESTS + 2);
  expect(reads.gets).toBe(1 + 2 * (2 * REQUESTS - 1));
  expect(reads.queries).toBe(1);
  // Every request is marked done with the revision that took it.
  expect(await pending.pending(REPO)).toEqual([]);
  expect(await pending.record(publishRequestKey(requests[5]!), requests[5]!)).toBe('done');
}, 60_000);

test('a request whose sender added no row (repo publish, an older worker) is still recorded and published', async () => {
  const { publisher, pending, request: staged } = await publishing();
  const request = await staged('solo');
  expect(await publisher.publish(request)).toMatchObject({ revision: 1, changed: true });
  expect(await pending.record(publishRequestKey(request), request)).toBe('done');
  // Sent again after its revision (a build retried after its publish went out): it is pending again, and its
  // run takes it, which changes nothing for the same packages.
  await pending.add(publishRequestKey(request), request);
  expect(await pending.record(publishRequestKey(request), request)).toBe('pending');
  expect(await publisher.publish(request)).toMatchObject({ revision: 1, changed: false });
  expect(await pending.pending(REPO)).toEqual([]);
  expect(await pending.record(publishRequestKey(request), request)).toBe('done');
}, 60_000);

test("a run reads the repository's waiting requests, not the ones earlier revisions took", async () => {
  const { pendingTable, tables, publisher, pending, request } = await publishing();
  // Twenty revisions of history, one request each.
  for (let i = 0; i < 20; i++) {
    const one = await request(`pkg${i}`);
    await pending.add(publishRequestKey(one), one);
    expect(await publisher.publish(one)).toMatchObject({ revision: i + 1, changed: true });
  }
  const waiting = await request('pkg20');
  await pending.add(publishRequestKey(waiting), waiting);

  const before = tables.readsOf(publishQueueTable.name).rows;
  expect((await pending.pending(REPO)).map((p) => p.key)).toEqual([publishRequestKey(waiting)]);
  expect(tables.readsOf(publishQueueTable.name).rows - before).toBe(1);
  // The partition the query names holds that one row: Tables scans no history for the run's query.
  const partition = new CatalogueTable(azurite.tables, publishQueueTable, pendingTable);
  const inPartition = [];
  for await (const row of partition.all({ partitionKey: publishQueueTable.key(REPO, '').partitionKey })) {
    inPartition.push(row.key);
  }
  expect(inPartition).toEqual([publishRequestKey(waiting)]);
  // The history is still there to answer a redelivered request.
  const first = await request('pkg0');
  expect(await pending.record(publishRequestKey(first), first)).toBe('done');
}, 60_000);

test('upsertAll writes one transaction per partition and 100 rows, a row named twice once', async () => {
  const own = azurite.name('pq');
  const tables = new CountingTableStore({ connectionString: azurite.connectionString }, () => own);
  const rows = new CatalogueTable(tables, publishQueueTable);
  await rows.ensure();
  const done = (repository: string, i: number) => ({
    repository,
    key: `${repository}:${String(i).padStart(3, '0')}`,
    state: 'done' as const,
    revision: 1,
  });
  await rows.upsertAll([
    ...Array.from({ length: 150 }, (_, i) => done('base/x86_64', i)),
    done('base/srpms', 0),
    { ...done('base/x86_64', 7), revision: 2 },
  ]);
  expect(tables.writesOf(publishQueueTable.name)).toBe(3);
  const stored = [];
  for await (const row of rows.all()) stored.push(row);
  expect(stored).toHaveLength(151);
  expect(stored.find((r) => r.key === 'base/x86_64:007')?.revision).toBe(2);
}, 60_000);

test('requests marked done in place, as runs did before, move to the done partition on the next run', async () => {
  const { pendingTable, publisher, pending, request } = await publishing();
  const old = await request('old');
  const fresh = await request('fresh');
  // What an earlier version left: the done row in the pending partition, with its request.
  const markedInPlace = publishQueueTable.toEntity({
    repository: REPO,
    key: publishRequestKey(old),
    state: 'done',
    revision: 7,
    request: old,
  });
  await azurite.tables.ensureTable(pendingTable);
  await azurite.tables.upsert(pendingTable, {
    ...markedInPlace,
    partitionKey: publishQueueTable.key(REPO, '').partitionKey,
  });
  expect(await pending.record(publishRequestKey(old), old)).toBe('done');

  await pending.add(publishRequestKey(fresh), fresh);
  expect((await pending.pending(REPO)).map((p) => p.key)).toEqual([publishRequestKey(fresh)]);
  const rows = new CatalogueTable(azurite.tables, publishQueueTable, pendingTable);
  const inPartition = async (state: 'pending' | 'done') => {
    const found = [];
    const { partitionKey } = publishQueueTable.key(REPO, '', state);
    for await (const { key, revision } of rows.all({ partitionKey })) found.push({ key, revision });
    return found;
  };
  expect(await inPartition('pending')).toEqual([{ key: publishRequestKey(fresh), revision: undefined }]);
  expect(await inPartition('done')).toEqual([{ key: publishRequestKey(old), revision: 7 }]);
  expect(await pending.record(publishRequestKey(old), old)).toBe('done');
  expect(await publisher.publish(fresh)).toMatchObject({
    changed: true,
    added: [expect.stringMatching(/^fresh-/)],
  });
}, 60_000);

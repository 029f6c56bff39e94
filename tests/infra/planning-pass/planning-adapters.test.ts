import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BlobDependencySource,
  RepodataIndexRefresher,
  TablePendingEvents,
  TablePlannerLease,
  TablePlannerState,
  TablePlanStore,
} from '../../../infra/planning-pass';
import type { Heartbeat } from '../../../infra/planning-pass';
import { POINT_READS_UP_TO } from '../../../infra/planning-pass/table-planner-state';
import { formatOwnerRecord, ownerRecordOf } from '../../../infra/os/owner-record';
import { processIdentity } from '../../../infra/os/process-identity';
import { CatalogueTable, TableStore } from '../../../infra/storage';
import { silentLogger } from '../../../shared/logger';
import { PipelineError } from '../../../shared/errors';
import type { UpstreamEvent } from '../../../shared/fedora/upstream-event';
import type { PlanRecord } from '../../../shared/planning-pass';
import {
  componentStateTable,
  depsContainer,
  leasesTable,
  pendingEventsTable,
  planItemsTable,
  plansContainer,
  plansTable,
} from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { CountingTableStore } from '../../../testing/counting-table-store';
import { writeSmallRepodata } from '../../../testing/fixtures/small-distro';

const run = Date.now().toString(36);
const event = (id: string, time: string, extra: Partial<UpstreamEvent> = {}): UpstreamEvent => ({
  messageId: `${run}/${id}`,
  topic: 'org.fedoraproject.prod.buildsys.tag',
  kind: 'tagged',
  packages: ['libpng'],
  builds: [{ name: 'libpng', version: '1.6', release: '1.fc43', nvr: 'libpng-1.6-1.fc43' }],
  tag: 'f43-updates',
  release: 'f43',
  time,
  severity: 'info',
  ...extra,
});

const azurite = useAzurite();
const { tables, blobs } = azurite;
describe('TablePendingEvents on Azurite', () => {
  test('keeps each event once, lists oldest first, holds a large event whole, removes by id', async () => {
    const pending = new TablePendingEvents(tables);
    const late = event('late', '2026-11-02T00:00:00Z');
    const early = event('early#?/', '2026-11-01T00:00:00Z');
    const big = event('big', '2026-11-01T12:00:00Z', {
      packages: Array.from({ length: 4_000 }, (_, i) => `package-with-a-long-name-${i}`),
    });
    await pending.add(late);
    await pending.add(early);
    await pending.add(early);
    await pending.add(big);
    const mine = (await pending.list(100_000)).filter((e) => e.messageId.startsWith(run));
    expect(mine.map((e) => e.messageId)).toEqual([early.messageId, big.messageId, late.messageId]);
    expect(mine[1]).toEqual(big);
    await pending.remove([early.messageId, big.messageId, late.messageId]);
    expect((await pending.list(100_000)).filter((e) => e.messageId.startsWith(run))).toEqual([]);
  });

  test('keeps the trace context an event arrived in; a row written without one still reads', async () => {
    const pending = new TablePendingEvents(tables);
    const trace = {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      tracestate: 'az=1',
    };
    const traced = event('traced', '2026-11-03T00:00:00Z');
    const untraced = event('untraced', '2026-11-03T00:00:01Z');
    await pending.add(traced, { trace });
    await pending.add(untraced);
    const mine = (await pending.list(100_000)).filter((e) => e.messageId.startsWith(run));
    expect(mine).toEqual([{ ...traced, trace }, untraced]);
    const row = await tables.get(
      pendingEventsTable.name,
      'pending',
      pendingEventsTable.key(traced.messageId).rowKey,
    );
    expect(row?.entity).toMatchObject({ traceparent: trace.traceparent, tracestate: 'az=1' });
    await pending.remove([traced.messageId, untraced.messageId]);
  });
});

describe('pending event arrivals (burst coalescing)', () => {
  test('answer whether an event arrived since or before a time, reading at most one row each', async () => {
    const ownName = azurite.name('arrivals');
    const own = new CountingTableStore(
      { connectionString: azurite.connectionString },
      (name) => `${ownName}${name}`,
    );
    const pending = new TablePendingEvents(own);
    const t0 = new Date('2026-12-06T10:00:00.000Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
    expect(await pending.receivedSince(t0)).toBe(false);
    await pending.add(event('legacy', '2026-11-03T00:00:00Z')); // a row written before arrivals were kept
    expect(await pending.receivedSince(t0)).toBe(false);
    expect(await pending.receivedBefore(at(60))).toBe(false);
    for (let i = 0; i < 5; i++)
      await pending.add(event(`burst-${i}`, '2026-11-03T00:00:01Z'), { receivedAt: at(i * 2) });

    own.resetCounts();
    expect(await pending.receivedSince(at(8))).toBe(true);
    expect(await pending.receivedSince(at(8.001))).toBe(false);
    expect(await pending.receivedBefore(at(0.001))).toBe(true);
    expect(await pending.receivedBefore(t0)).toBe(false);
    expect(own.readsOf(pendingEventsTable.name).rows).toBeLessThanOrEqual(2);

    await pending.remove([`${run}/burst-4`]);
    expect(await pending.receivedSince(at(8))).toBe(false);
    expect((await pending.list(100)).find((e) => e.messageId === `${run}/burst-0`)?.receivedAt).toBe(
      t0.toISOString(),
    );
  });
});

describe('work lists over rows that do not fit their schema', () => {
  test('a damaged pending event is left out of the list and reported, the others are listed', async () => {
    const skipped: PipelineError[] = [];
    const pending = new TablePendingEvents(tables, (error) => skipped.push(error));
    const good = event('beside-damaged', '2026-11-03T00:00:00Z');
    await pending.add(good);
    const damaged = {
      partitionKey: pendingEventsTable.key(`${run}/damaged`).partitionKey,
      rowKey: `damaged-${run}`,
    };
    await tables.upsert(pendingEventsTable.name, {
      ...damaged,
      messageId: `${run}/damaged`,
      sentAt: '2026-11-03T00:00:00Z',
      event: '{"messageId": 42}',
    });
    try {
      const mine = (await pending.list(100_000)).filter((e) => e.messageId.startsWith(run));

      expect(mine.map((e) => e.messageId)).toEqual([good.messageId]);
      const reported = skipped.find((e) => e.context['rowKey'] === damaged.rowKey);
      expect(reported?.code).toBe('storage.invalid-row');
      expect(reported?.context['table']).toBe(pendingEventsTable.name);
    } finally {
      await tables.delete(pendingEventsTable.name, damaged.partitionKey, damaged.rowKey);
      await pending.remove([good.messageId]);
    }
  });

  test('a component row whose lock does not parse reads as no state and is reported', async () => {
    const skipped: PipelineError[] = [];
    const state = new TablePlannerState(tables, undefined, (error) => skipped.push(error));
    const component = `damaged-lock-${run}`;
    const healthy = `healthy-lock-${run}`;
    const lock = { nvr: 'y-1-1.fc43', messageId: `${run}/m9`, provides: [] };
    await state.save({ [healthy]: lock }, []);
    await tables.upsert(componentStateTable.name, {
      ...componentStateTable.key(component),
      component,
      lock: '{"nvr": 7}',
    });

    const loaded = await state.statesOf([component, healthy, `never-seen-${run}`]);

    expect(loaded).toEqual({ [healthy]: { lock } });
    expect(await state.component(component)).toBeUndefined();
    expect(skipped.map((e) => e.code)).toContain('storage.invalid-row');
    expect(skipped.every((e) => e.context['table'] === componentStateTable.name)).toBe(true);
  });
});

describe('TablePlannerState on Azurite', () => {
  test('moves locks, remembers planned ids, and keeps the lock when a build succeeds', async () => {
    const state = new TablePlannerState(tables);
    const component = `comp-${run}`;
    const lock = { nvr: 'x-1-1.fc43', messageId: `${run}/m1`, provides: ['libx.so.1()(64bit)'] };
    await state.save({ [component]: lock }, [`${run}/m1`]);
    await state.record(component, 'sha256:abc', 'sha256:contents');
    await state.save({}, [], [{ component, fingerprint: 'sha256:new', requestedAt: '2026-11-02T00:00:00Z' }]);
    expect(await state.latest(component)).toEqual({
      fingerprint: 'sha256:new',
      requestedAt: '2026-11-02T00:00:00Z',
    });
    expect(await state.last(component)).toEqual({
      fingerprint: 'sha256:abc',
      contentDigest: 'sha256:contents',
    });
    const loaded = await state.statesOf([component]);
    expect(loaded).toEqual({
      [component]: {
        lock,
        lastSuccessfulFingerprint: 'sha256:abc',
        latestRequestedFingerprint: 'sha256:new',
      },
    });
    expect([...(await state.plannedOf([`${run}/m1`, `${run}/m2`]))]).toEqual([`${run}/m1`]);
    await state.save({}, [`${run}/m1`]); // recording twice is fine
  });
});

describe('TablePlannerState.statesOf for many components', () => {
  test('past the point-read limit, one scan answers the named components only', async () => {
    const counting = new CountingTableStore({ connectionString: azurite.connectionString }, (name) => name);
    const state = new TablePlannerState(counting);
    const names = Array.from({ length: POINT_READS_UP_TO + 1 }, (_, i) => `many-${run}-${i}`);
    await state.save(
      Object.fromEntries(names.slice(0, 3).map((name) => [name, { messageId: `${run}/${name}` }])),
      [],
    );
    await state.save({ [`not-asked-${run}`]: { messageId: `${run}/x` } }, []);

    const states = await state.statesOf(names);

    expect(counting.readsOf(componentStateTable.name)).toMatchObject({ gets: 0 });
    expect(counting.readsOf(componentStateTable.name).queries).toBeGreaterThan(0);
    expect(Object.keys(states).sort()).toEqual(names.slice(0, 3).sort());
    expect(states[names[0]!]).toEqual({ lock: { messageId: `${run}/${names[0]}` } });
  });
});

describe('TablePlanStore on Azurite', () => {
  test('writes the summary row, one row per item and the whole record as a blob', async () => {
    const store = new TablePlanStore(tables, blobs);
    const record: PlanRecord = {
      planId: `plan-${run}`,
      createdAt: '2026-11-01T00:00:00.000Z',
      messageIds: ['m1'],
      modelVersion: 'tree:1',
      indexVersion: 'none',
      planned: [
        { component: 'libpng', reasons: [], wave: 0, fingerprint: 'sha256:1', priority: 300 },
        { component: 'curl', reasons: [], wave: 1, fingerprint: 'sha256:2', priority: 200 },
      ],
      skipped: [{ package: 'nope', reason: 'unknown-package', detail: 'no component follows it' }],
      cycles: [],
    };
    await store.save(record);
    await store.save(record);
    const summary = await tables.get(plansTable.name, 'plan', record.planId);
    expect(summary?.entity).toMatchObject({ plannedCount: 2, skippedCount: 1, waveCount: 2 });
    const items = await tables.query(planItemsTable.name, { partitionKey: record.planId });
    expect(items.items.map((i) => [i.entity['component'], i.entity['wave']]).sort()).toEqual([
      ['curl', 1],
      ['libpng', 0],
    ]);
    const blob = await blobs.get(plansContainer.name, `${record.planId}.json`);
    expect(JSON.parse(blob!.bytes.toString('utf8'))).toEqual(record);
  });

  test("an item's row keeps the trace contexts of its causes; rows without them (older ones) read too", async () => {
    const store = new TablePlanStore(tables, blobs);
    const causes = [{ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }];
    const record: PlanRecord = {
      planId: `plan-traced-${run}`,
      createdAt: '2026-11-01T00:00:00.000Z',
      messageIds: ['m1'],
      modelVersion: 'tree:1',
      indexVersion: 'none',
      planned: [
        { component: 'libpng', reasons: [], wave: 0, fingerprint: 'sha256:1', priority: 300 },
        { component: 'curl', reasons: [], wave: 1, fingerprint: 'sha256:2', priority: 200 },
      ],
      skipped: [],
      cycles: [],
      traces: { libpng: causes },
    };
    await store.save(record);
    const items = new CatalogueTable(tables, planItemsTable);
    expect((await items.get(record.planId, 'libpng'))?.row).toMatchObject({ traces: causes });
    const older = (await items.get(record.planId, 'curl'))?.row;
    expect(older).toMatchObject({ component: 'curl' });
    expect(older).not.toHaveProperty('traces');
  });
});

describe('TablePlannerLease on Azurite', () => {
  test('one holder at a time; released or expired, it can be taken again', async () => {
    let now = new Date('2026-11-01T00:00:00Z');
    const lease = new TablePlannerLease(tables, {
      name: `lease-${run}`,
      durationMs: 60_000,
      clock: () => now,
    });
    const first = await lease.acquire();
    expect(first).toBeDefined();
    expect(await lease.acquire()).toBeUndefined();
    await first!.release();
    const second = await lease.acquire();
    expect(second).toBeDefined();
    now = new Date('2026-11-01T00:02:00Z'); // the holder died: its lease expired
    const third = await lease.acquire();
    expect(third).toBeDefined();
    await second!.release(); // too late: does not release the new holder's lease
    expect(await lease.acquire()).toBeUndefined();
    await third!.release();
  });

  test('a lease whose release failed (storage down) is taken over by the same instance, not by another', async () => {
    const flaky = new DeleteFailingTables({ connectionString: azurite.connectionString });
    const name = `lease-unreleased-${run}`;
    const lease = new TablePlannerLease(flaky, { name, durationMs: 60_000 });
    const other = new TablePlannerLease(tables, { name, durationMs: 60_000 });
    const first = await lease.acquire();
    flaky.failDeletes = true;
    await expect(first!.release()).rejects.toMatchObject({ code: 'storage.unavailable' });
    flaky.failDeletes = false;
    expect(await other.acquire(), 'another instance waits for the lease to expire').toBeUndefined();
    const again = await lease.acquire();
    expect(again, 'the instance that left it behind takes it over').toBeDefined();
    expect(await lease.acquire()).toBeUndefined(); // held again, for real
    await again!.release();
    const afterwards = await other.acquire();
    expect(afterwards).toBeDefined();
    await afterwards!.release();
  });
});

describe('TablePlannerLease renewed while its pass runs', () => {
  /** A heartbeat the test beats by hand, with the fake clock: what a timer would do during a long pass. */
  function manualHeartbeat() {
    const ticks: { everyMs: number; tick: () => Promise<void>; stopped: boolean }[] = [];
    const heartbeat: Heartbeat = (everyMs, tick) => {
      const entry = { everyMs, tick, stopped: false };
      ticks.push(entry);
      return () => (entry.stopped = true);
    };
    const beat = async () => {
      for (const entry of ticks) if (!entry.stopped) await entry.tick();
    };
    return { heartbeat, beat, ticks };
  }

  test('a pass longer than the lease keeps it, and a second instance cannot take it meanwhile', async () => {
    let now = new Date('2026-11-01T00:00:00Z');
    const clock = () => now;
    const name = `lease-renewed-${run}`;
    const { heartbeat, beat, ticks } = manualHeartbeat();
    const holder = new TablePlannerLease(tables, { name, durationMs: 60_000, clock, heartbeat });
    const other = new TablePlannerLease(tables, { name, durationMs: 60_000, clock });

    const held = await holder.acquire();
    expect(ticks.map((t) => t.everyMs)).toEqual([20_000]);
    for (let second = 20; second <= 300; second += 20) {
      now = new Date(Date.parse('2026-11-01T00:00:00Z') + second * 1000);
      await beat();
      expect(await other.acquire(), `at ${second} s of a 60 s lease`).toBeUndefined();
    }
    await held!.release();
    expect(ticks[0]?.stopped).toBe(true);
    const next = await other.acquire();
    expect(next, 'released: the other instance takes it').toBeDefined();
    await next!.release();
  });

  test('without renewal the lease runs out: the control for the test above', async () => {
    let now = new Date('2026-11-01T00:00:00Z');
    const clock = () => now;
    const name = `lease-unrenewed-${run}`;
    const holder = new TablePlannerLease(tables, {
      name,
      durationMs: 60_000,
      clock,
      heartbeat: () => () => {},
    });
    const other = new TablePlannerLease(tables, { name, durationMs: 60_000, clock });
    const held = await holder.acquire();
    now = new Date('2026-11-01T00:01:01Z');
    const taken = await other.acquire();
    expect(taken).toBeDefined();
    await held!.release(); // too late: leaves the new holder's lease alone
    expect(await holder.acquire()).toBeUndefined();
    await taken!.release();
  });

  test('a renewal that finds the lease taken over stops renewing and does not take it back', async () => {
    let now = new Date('2026-11-01T00:00:00Z');
    const clock = () => now;
    const name = `lease-lost-${run}`;
    const { heartbeat, beat } = manualHeartbeat();
    const holder = new TablePlannerLease(tables, { name, durationMs: 60_000, clock, heartbeat });
    const other = new TablePlannerLease(tables, { name, durationMs: 60_000, clock });
    const held = await holder.acquire();
    now = new Date('2026-11-01T00:02:00Z'); // the holder stalled past its lease (no beat in time)
    const taken = await other.acquire();
    expect(taken).toBeDefined();
    await beat(); // too late: the row changed
    now = new Date('2026-11-01T00:02:30Z');
    expect(await holder.acquire(), 'the other instance still holds it').toBeUndefined();
    await held!.release();
    expect(await holder.acquire(), 'nor did the stale release free it').toBeUndefined();
    await taken!.release();
  });
});

/** Table storage whose deletes fail as if the service were unreachable, while `failDeletes` is set. */
class DeleteFailingTables extends TableStore {
  failDeletes = false;
  override async delete(...args: Parameters<TableStore['delete']>): Promise<boolean> {
    if (this.failDeletes) throw PipelineError.transient('storage.unavailable', 'storage delete failed: down');
    return super.delete(...args);
  }
}

describe('TablePlannerLease held by a process that died', () => {
  const holdBy = async (name: string, process: string) => {
    await tables.ensureTable(leasesTable.name);
    await tables.upsert(leasesTable.name, {
      partitionKey: 'lease',
      rowKey: name,
      holder: 'the crashed pipeline',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      process,
    });
  };

  test('on this machine, a lease whose holding process is gone is taken over before it expires', async () => {
    const name = `lease-dead-${run}`;
    const dead = Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
    await holdBy(name, processIdentity(dead)!);
    const lease = new TablePlannerLease(tables, { name });
    const taken = await lease.acquire();
    expect(taken).toBeDefined();
    expect(await lease.acquire()).toBeUndefined(); // now held by this live process
    await taken!.release();
  });

  test('a live holder, or a holder on another machine, keeps its lease until it expires', async () => {
    const live = `lease-live-${run}`;
    await holdBy(live, processIdentity(process.pid)!);
    expect(await new TablePlannerLease(tables, { name: live }).acquire()).toBeUndefined();
    const elsewhere = `lease-elsewhere-${run}`;
    const dead = Number(spawnSync('sh', ['-c', 'echo $$']).stdout.toString().trim());
    await holdBy(elsewhere, formatOwnerRecord({ ...ownerRecordOf(dead), boot: 'another-boot-id' }));
    expect(await new TablePlannerLease(tables, { name: elsewhere }).acquire()).toBeUndefined();
  });
});

describe('the dependency index in Blob Storage', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'azl-deps-blob-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('the refresher writes it from repodata; the source loads it once per version', async () => {
    await blobs.ensureContainer(depsContainer.name);
    await blobs.delete(depsContainer.name, depsContainer.indexBlob);
    const source = new BlobDependencySource(blobs);
    const empty = await source.current();
    expect(empty.version).toBe('none');
    expect(empty.view.reverseBuildDependents('zlib-ng')).toEqual([]);

    const repodata = writeSmallRepodata(dir);
    const refresher = new RepodataIndexRefresher(
      blobs,
      { binaryRepodata: repodata.binary, sourceRepodata: repodata.source, trackedTags: ['f43-build'] },
      silentLogger,
    );
    await refresher.refresh('test');
    const loaded = await source.current();
    expect(loaded.version).not.toBe('none');
    expect(
      loaded.view
        .reverseBuildDependents('zlib-ng')
        .map((d) => d.source)
        .sort(),
    ).toEqual(['curl', 'libpng']);
    expect(await source.current()).toBe(loaded);
  });
});

import { describe, expect, test } from 'vitest';
import { TableBuildRecords } from '../../../infra/build-worker/table-build-records';
import { TablePlanProgress } from '../../../infra/build-worker/table-plan-progress';
import { TablePlannerState } from '../../../infra/planning-pass';
import { CatalogueTable } from '../../../infra/storage';
import type { BuildRequest } from '../../../shared/build';
import { BuildWorker } from '../../../shared/build-worker';
import type { PlannedItem } from '../../../shared/planner';
import { buildRequestsOf, firstWaveOf } from '../../../shared/planning-pass';
import type { PlanRecord } from '../../../shared/planning-pass';
import { buildsTable, componentStateTable, planItemRowOf, planItemsTable } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { CountingTableStore } from '../../../testing/counting-table-store';
import { memoryWorkerPorts } from '../../../testing/fakes/build-worker-ports';
import { MemoryPlanWaves, MemoryReleaseQueue } from '../../../testing/fakes/memory-plan-waves';

/**
 * What one build costs in table operations (issue 20, "flatten what grows"): a plan of two waves built by a
 * worker whose records, plan progress and component state are the real Table adapters on Azurite, counted
 * per table. The figures are the budget per build; a change that reads or writes more per build fails here.
 */
const azurite = useAzurite();
const WIDTH = 6;
const fp = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

function planOf(planId: string): PlanRecord {
  const planned: PlannedItem[] = [];
  for (let wave = 0; wave < 2; wave++)
    for (let column = 0; column < WIDTH; column++)
      planned.push({
        component: `w${wave}c${column}`,
        fingerprint: fp(wave * 1000 + column + 1),
        wave,
        priority: 200,
        reasons: [
          {
            messageId: 'm-root',
            kind: 'built',
            package: 'w0c0',
            component: 'w0c0',
            ...(wave > 0 ? { path: [{ from: `w0c${column}`, buildRequire: 'x' }] } : {}),
          },
        ],
      });
  return {
    planId,
    createdAt: '2026-12-01T11:00:00.000Z',
    messageIds: ['m-root'],
    modelVersion: 'm',
    indexVersion: 'i',
    planned,
    skipped: [],
    cycles: [],
  };
}

/** A worker over the real Table adapters (own table names), the plan's items written as a pass writes them. */
async function harness() {
  const own = new Map<string, string>();
  const tables = new CountingTableStore({ connectionString: azurite.connectionString }, (name) => {
    let table = own.get(name);
    if (!table) own.set(name, (table = azurite.name(`ops${name}`)));
    return table;
  });
  const plan = planOf(azurite.name('plan'));
  const items = new CatalogueTable(tables, planItemsTable);
  await items.ensure();
  for (const item of plan.planned) await items.upsert(planItemRowOf(plan.planId, item));
  const plans = new MemoryPlanWaves();
  plans.add(plan);
  const queue = new MemoryReleaseQueue();
  const records = new TableBuildRecords(tables);
  const state = new TablePlannerState(tables);
  const h = memoryWorkerPorts();
  const worker = new BuildWorker({
    ...h.ports,
    records,
    state,
    successes: state,
    progress: new TablePlanProgress(tables, records, records.known),
    release: { plans, builds: queue },
  });
  tables.resetCounts();
  return { tables, plan, queue, worker, builder: h.ports.builder };
}

describe('the table operations of a build', () => {
  test('a plan of two waves: each build reads its record, its component row once, and one item per wave check', async () => {
    const { tables, plan, queue, worker } = await harness();
    const build = async (requests: readonly BuildRequest[]) => {
      for (const request of requests)
        expect((await worker.handle(request)).outcome, request.component).toBe('finished');
    };
    await build(firstWaveOf(buildRequestsOf(plan)));
    expect(queue.queued.map((r) => r.component).sort()).toEqual(
      Array.from({ length: WIDTH }, (_, c) => `w1c${c}`),
    );
    await build(queue.queued.splice(0));
    const builds = 2 * WIDTH;

    const reads = tables.readsOf(buildsTable.name);
    console.log('table operations of a build', {
      builds,
      builds_: { ...reads, writes: tables.writesOf(buildsTable.name) },
      componentstate: {
        ...tables.readsOf(componentStateTable.name),
        writes: tables.writesOf(componentStateTable.name),
      },
      planitems: tables.readsOf(planItemsTable.name),
    });
    // Its own record (the redelivery check) and at most one more per build for the wave check after it ends:
    // the next unfinished item, not five of them to name; none for builds this worker finished (known final,
    // and how), nor for a second-wave build's path dependency. Before: 65 gets for these 12 builds.
    expect(reads.gets).toBeLessThanOrEqual(builds + builds);
    // preparing, building, and the final record.
    expect(tables.writesOf(buildsTable.name)).toBe(3 * builds);
    // The component's row once (the newest request and the last success; was twice), its success once.
    expect(tables.readsOf(componentStateTable.name).gets).toBe(builds);
    expect(tables.writesOf(componentStateTable.name)).toBe(builds);
  }, 60_000);

  test('a second-wave build whose path dependency failed here is cancelled without reading that build', async () => {
    const { tables, plan, queue, worker, builder } = await harness();
    builder.script.push({
      state: 'failed',
      code: 'build.compile-error',
      retryable: false,
      message: 'x',
      logExcerpt: '',
    });
    for (const request of firstWaveOf(buildRequestsOf(plan))) await worker.handle(request);
    const second = queue.queued.splice(0);
    tables.resetCounts();
    const outcomes = [];
    for (const request of second) {
      const handled = await worker.handle(request);
      outcomes.push(handled.outcome === 'finished' ? [request.component, handled.record.state] : []);
    }
    expect(outcomes.filter(([, state]) => state === 'cancelled')).toEqual([['w1c0', 'cancelled']]);
    // Each reads its own record and nothing of the first wave: what it needs is known here.
    expect(tables.readsOf(buildsTable.name).gets).toBe(WIDTH + WIDTH - 1);
  }, 60_000);
});

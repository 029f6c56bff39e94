import { expect, test } from 'vitest';
import { TablePlanProgress } from '../../../infra/build-worker/table-plan-progress';
import { CatalogueTable } from '../../../infra/storage';
import { newBuildRecord, transition } from '../../../shared/build-worker';
import type { PlannedItem } from '../../../shared/planner';
import { planItemRowOf, planItemsTable } from '../../../shared/storage';
import { useAzurite, uniqueName } from '../../../testing/azurite';
import { MemoryRecords } from '../../../testing/fakes/build-worker-ports';

const { tables } = useAzurite();
const at = '2026-12-01T12:00:00.000Z';
const fp = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const item = (component: string, wave: number, n: number): PlannedItem => ({
  component,
  wave,
  fingerprint: fp(n),
  priority: 200,
  reasons: [],
});

test('reads planitems one wave at a time: the earliest unfinished wave, then none; path outcomes by point reads', async () => {
  const planId = uniqueName('plan');
  const items = [item('a0', 0, 1), item('b0', 0, 2), item('a1', 1, 3), item('a2', 2, 4), item('a3', 3, 5)];
  const rows = new CatalogueTable(tables, planItemsTable);
  await rows.ensure();
  for (const i of items) await rows.upsert(planItemRowOf(planId, i));
  const records = new MemoryRecords();
  const progress = new TablePlanProgress(tables, records);
  const finish = async (i: PlannedItem, state: 'succeeded' | 'failed') => {
    const request = {
      planId,
      component: i.component,
      fingerprint: i.fingerprint,
      wave: i.wave,
      priority: 200,
      reasons: [],
      requestedAt: at,
      attempt: 1,
    };
    const record = newBuildRecord(request, at);
    await records.put(
      state === 'failed'
        ? {
            ...transition(record, state, at),
            error: { code: 'build.compile-error', message: 'x', retryable: false },
          }
        : transition(record, state, at),
    );
  };

  expect(await progress.unfinishedBefore(planId, 3)).toEqual(['a0', 'b0']);
  await finish(items[0]!, 'succeeded');
  expect(await progress.unfinishedBefore(planId, 3)).toEqual(['b0']);
  await finish(items[1]!, 'failed');
  expect(await progress.unfinishedBefore(planId, 3)).toEqual(['a1']);
  expect(await progress.unfinishedBefore(planId, 1)).toEqual([]);
  await finish(items[2]!, 'succeeded');
  await finish(items[3]!, 'succeeded');
  expect(await progress.unfinishedBefore(planId, 3)).toEqual([]);
  expect(await progress.unfinishedBefore(planId, 4)).toEqual(['a3']);

  expect(await progress.outcomesOf(planId, ['b0', 'a1', 'not-in-plan', 'a3'])).toEqual([
    {
      component: 'b0',
      buildId: expect.stringMatching(/^b0@/),
      state: 'failed',
      error: { code: 'build.compile-error', message: 'x', retryable: false },
    },
    { component: 'a1', buildId: expect.stringMatching(/^a1@/), state: 'succeeded' },
  ]);
});

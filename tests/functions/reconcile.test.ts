import { InvocationContext } from '@azure/functions';
import { expect, test } from 'vitest';
import { reconcileTimer } from '../../functions/reconcile';
import type { ReconcileReport } from '../../shared/reconcile';
import { fakeServices } from '../../testing/fakes/services';

const timerInfo = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

const report = (over: Partial<ReconcileReport> = {}): ReconcileReport => ({
  plansExamined: 3,
  planItemsRequeued: 0,
  planItemsSuperseded: 0,
  stuckBuildsRequeued: 0,
  publishesResent: 0,
  unrecoverable: 0,
  truncated: false,
  ...over,
});

function capture() {
  const lines: { level: string; text: string }[] = [];
  const context = new InvocationContext({
    invocationId: 'r1',
    functionName: 'reconcile',
    logHandler: (level, ...args) => lines.push({ level, text: args.map(String).join(' ') }),
  });
  return { lines, context };
}

test('every 5 minutes, one run; what it sent again is logged as a warning with the counts', async () => {
  const runs: Date[] = [];
  const services = fakeServices({
    reconciler: {
      run: (now) => (runs.push(now), Promise.resolve(report({ planItemsRequeued: 2, publishesResent: 1 }))),
    },
  });
  const timer = reconcileTimer(() => Promise.resolve(services));
  expect(timer.schedule).toBe('0 */5 * * * *');
  const { lines, context } = capture();
  await timer.handler(timerInfo, context);
  expect(runs).toHaveLength(1);
  expect(lines).toHaveLength(1);
  expect(lines[0]!.level).toBe('warning');
  expect(lines[0]!.text).toContain('3 sent again');
  expect(lines[0]!.text).toContain('"planItemsRequeued":2');
});

test('a run that found nothing stale logs at information level; no reconciler, no run', async () => {
  const quiet = capture();
  const services = fakeServices({ reconciler: { run: () => Promise.resolve(report()) } });
  await reconcileTimer(() => Promise.resolve(services)).handler(timerInfo, quiet.context);
  expect(quiet.lines.map((l) => l.level)).toEqual(['information']);

  const none = capture();
  await reconcileTimer(() => Promise.resolve(fakeServices())).handler(timerInfo, none.context);
  expect(none.lines).toEqual([]);
});

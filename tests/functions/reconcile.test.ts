import { InvocationContext } from '@azure/functions';
import { expect, test } from 'vitest';
import { reconcileTimer } from '../../functions/reconcile';
import type { ReconcileReport } from '../../shared/reconcile';
import type { Services } from '../../shared/services';
import { fakeServices } from '../../testing/fakes/services';
import { capturedLogs } from './captured-logs';

const timerInfo = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

const report = (over: Partial<ReconcileReport> = {}): ReconcileReport => ({
  plansExamined: 3,
  planItemsRequeued: 0,
  planItemsSuperseded: 0,
  planItemsNotSentYet: 0,
  stuckBuildsRequeued: 0,
  publishesResent: 0,
  unrecoverable: 0,
  truncated: false,
  itemPages: 1,
  ...over,
});

const context = new InvocationContext({
  invocationId: 'r1',
  functionName: 'reconcile',
  logHandler: () => undefined,
});

/** One run of the timer over `services`, with the lines its logger wrote. */
async function runOnce(over: Partial<Services>) {
  const { logger, lines } = capturedLogs();
  await reconcileTimer(() => Promise.resolve(fakeServices({ ...over, logger }))).handler(timerInfo, context);
  return lines;
}

test('every 5 minutes, one run; what it sent again is logged as a warning with the counts as fields', async () => {
  const runs: Date[] = [];
  const reconciler = {
    run: (now: Date) => (
      runs.push(now),
      Promise.resolve(report({ planItemsRequeued: 2, publishesResent: 1 }))
    ),
  };
  expect(reconcileTimer(() => Promise.resolve(fakeServices())).schedule).toBe('0 */5 * * * *');
  const lines = await runOnce({ reconciler });
  expect(runs).toHaveLength(1);
  expect(lines).toEqual([
    expect.objectContaining({
      level: 'warn',
      msg: 'reconcile found stale work',
      sent: 3,
      planItemsRequeued: 2,
      publishesResent: 1,
      plansExamined: 3,
      functionName: 'reconcile',
      invocationId: 'r1',
    }),
  ]);
});

test('a run that found nothing stale logs at info level; no reconciler, no run', async () => {
  const quiet = await runOnce({ reconciler: { run: () => Promise.resolve(report()) } });
  expect(quiet.map((l) => [l.level, l.msg, l['sent']])).toEqual([
    ['info', 'reconcile found nothing stale', 0],
  ]);

  expect(await runOnce({})).toEqual([]);
});

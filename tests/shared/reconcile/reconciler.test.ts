import { expect, test } from 'vitest';
import type { BuildRequest, BuildState } from '../../../shared/build';
import type { BuildRecord } from '../../../shared/build-worker';
import type { ComponentLock, PlannedItem } from '../../../shared/planner';
import { buildRequestOf } from '../../../shared/planning-pass';
import type { PlanRecord } from '../../../shared/planning-pass';
import type { PublishRequest } from '../../../shared/publishing';
import { defaultReconcileOptions, reconcileMessageId, Reconciler } from '../../../shared/reconcile';
import type { PublishStatus, ReconcileQueues, ReconcileRecords } from '../../../shared/reconcile';

/** In-memory records and queues: the reconciler's ports, with the stored state a test sets up. */
class MemoryRecords implements ReconcileRecords {
  plans: PlanRecord[] = [];
  builds: BuildRecord[] = [];
  locks = new Map<string, ComponentLock>();
  publishes = new Map<string, PublishStatus>();

  async plansBetween(since: Date, before: Date, limit: number) {
    return this.plans
      .filter((p) => p.createdAt >= since.toISOString() && p.createdAt < before.toISOString())
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .slice(0, limit)
      .map(({ planId, createdAt }) => ({ planId, createdAt }));
  }
  async plan(planId: string) {
    return this.plans.find((p) => p.planId === planId);
  }
  async build(component: string, fingerprint: string) {
    return this.builds.find((b) => b.component === component && b.fingerprint === fingerprint);
  }
  async buildsIn(states: readonly BuildState[], since: Date, before: Date, limit: number) {
    return this.builds
      .filter((b) => states.includes(b.state))
      .filter((b) => {
        const at = b.history.at(-1)!.at;
        return at >= since.toISOString() && at < before.toISOString();
      })
      .slice(0, limit);
  }
  async lock(component: string) {
    return this.locks.get(component);
  }
  async publishStatus(repository: string, fingerprint: string) {
    return this.publishes.get(`${repository}:${fingerprint}`);
  }
}

class MemoryQueues implements ReconcileQueues {
  builds: { request: BuildRequest; messageId: string }[] = [];
  publishes: { request: PublishRequest; messageId: string }[] = [];
  async resendBuild(request: BuildRequest, messageId: string) {
    this.builds.push({ request, messageId });
  }
  async resendPublish(request: PublishRequest, messageId: string) {
    this.publishes.push({ request, messageId });
  }
}

const now = new Date('2026-12-01T12:00:00.000Z');
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000).toISOString();
const fp = (digit: string) => `sha256:${digit.repeat(64)}`;

const item = (component: string, fingerprint: string, messageId = `msg-${component}`): PlannedItem => ({
  component,
  fingerprint,
  wave: 0,
  priority: 100,
  reasons: [{ messageId, kind: 'built', package: component, nvr: `${component}-1-1.fc44`, component }],
});

const planOf = (planId: string, createdAt: string, planned: PlannedItem[]): PlanRecord => ({
  planId,
  createdAt,
  messageIds: planned.map((p) => p.reasons[0]!.messageId),
  modelVersion: 'm',
  indexVersion: 'i',
  planned,
  skipped: [],
  cycles: [],
});

const record = (component: string, fingerprint: string, planId: string, state: BuildState, at: string) =>
  ({
    buildId: `${component}@x`,
    component,
    fingerprint,
    planId,
    wave: 0,
    requestedAt: at,
    state,
    history: [{ state, at }],
    attempts: 2,
  }) satisfies BuildRecord;

const setUp = () => ({ records: new MemoryRecords(), queues: new MemoryQueues() });

test('a stale plan item with no build record is sent again, rebuilt from the plan, under a new message id', async () => {
  const { records, queues } = setUp();
  records.plans.push(planOf('plan-a', ago(30), [item('zlib', fp('a')), item('curl', fp('b'))]));
  records.builds.push(record('curl', fp('b'), 'plan-a', 'succeeded', ago(20)));
  records.locks.set('zlib', { nvr: 'zlib-1-1.fc44', commit: 'c0ffee', messageId: 'msg-zlib' });

  const report = await new Reconciler(records, queues).run(now);

  expect(report).toMatchObject({ plansExamined: 1, planItemsRequeued: 1, stuckBuildsRequeued: 0 });
  expect(queues.builds).toEqual([
    {
      messageId: reconcileMessageId(fp('a'), now, 15),
      request: {
        planId: 'plan-a',
        component: 'zlib',
        fingerprint: fp('a'),
        wave: 0,
        priority: 100,
        upstream: { nvr: 'zlib-1-1.fc44', commit: 'c0ffee' },
        reasons: item('zlib', fp('a')).reasons,
        requestedAt: ago(30),
        attempt: 1,
      },
    },
  ]);
});

test('a re-sent item keeps the trace contexts of its causes, so its build stays in their trace', async () => {
  const { records, queues } = setUp();
  const causes = [{ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }];
  records.plans.push({ ...planOf('plan-t', ago(30), [item('zlib', fp('a'))]), traces: { zlib: causes } });

  await new Reconciler(records, queues).run(now);

  expect(queues.builds.map((b) => b.request.causes)).toEqual([causes]);
});

test('a fresh plan is left alone, and a lock moved by another event is not the request’s upstream', async () => {
  const { records, queues } = setUp();
  records.plans.push(planOf('plan-new', ago(5), [item('zlib', fp('a'))]));
  records.plans.push(planOf('plan-old', ago(60), [item('curl', fp('b'))]));
  records.locks.set('curl', { nvr: 'curl-2-1.fc44', messageId: 'some-later-event' });

  await new Reconciler(records, queues).run(now);

  expect(queues.builds.map((b) => b.request.component)).toEqual(['curl']);
  expect(queues.builds[0]!.request.upstream).toBeUndefined();
});

test('newest plans first: an older plan’s item for the same component is superseded, not sent', async () => {
  const { records, queues } = setUp();
  records.plans.push(planOf('plan-1', ago(90), [item('zlib', fp('1'))]));
  records.plans.push(planOf('plan-2', ago(40), [item('zlib', fp('2'))]));

  const report = await new Reconciler(records, queues).run(now);

  expect(queues.builds.map((b) => [b.request.planId, b.request.fingerprint])).toEqual([['plan-2', fp('2')]]);
  expect(report.planItemsSuperseded).toBe(1);
});

test('a build stuck in a non-final state past its time limit is re-queued with its attempt count', async () => {
  const { records, queues } = setUp();
  records.plans.push(
    planOf('plan-a', ago(600), [item('zlib', fp('a')), item('curl', fp('b')), item('xz', fp('c'))]),
  );
  records.builds.push(record('zlib', fp('a'), 'plan-a', 'building', ago(180)));
  records.builds.push(record('curl', fp('b'), 'plan-a', 'preparing', ago(30)));
  records.builds.push(record('xz', fp('c'), 'plan-a', 'failed', ago(300)));

  const report = await new Reconciler(records, queues).run(now);

  expect(report).toMatchObject({ stuckBuildsRequeued: 1, planItemsRequeued: 0 });
  expect(queues.builds.map((b) => [b.request.component, b.request.attempt, b.messageId])).toEqual([
    ['zlib', 2, reconcileMessageId(fp('a'), now, 120)],
  ]);
});

test('a succeeded build whose publish is still pending is published again; a done one is not', async () => {
  const { records, queues } = setUp();
  const ok = {
    ...record('zlib', fp('a'), 'plan-a', 'succeeded', ago(60)),
    repositories: ['base/x86_64', 'base/srpms'],
  };
  records.builds.push(ok);
  const request: PublishRequest = {
    repository: 'base/x86_64',
    component: 'zlib',
    fingerprint: fp('a'),
    buildId: ok.buildId,
    packages: [
      {
        artifactBlob: 'zlib/a/z.rpm',
        fileName: 'z.rpm',
        sha256: 'a'.repeat(64),
        size: 1,
        nevra: 'z-1-1.x86_64',
      },
    ],
    requestedAt: ago(60),
  };
  records.publishes.set(`base/x86_64:${fp('a')}`, { state: 'pending', request });
  records.publishes.set(`base/srpms:${fp('a')}`, { state: 'done' });

  const report = await new Reconciler(records, queues).run(now);

  expect(report.publishesResent).toBe(1);
  expect(queues.publishes).toEqual([
    { request, messageId: reconcileMessageId(`base/x86_64:${fp('a')}`, now, 15) },
  ]);
});

test('a publish set aside (a package of it cannot be published) is neither sent again nor counted lost', async () => {
  const { records, queues } = setUp();
  records.builds.push({
    ...record('zlib', fp('a'), 'plan-a', 'succeeded', ago(60)),
    repositories: ['base/x86_64'],
  });
  records.publishes.set(`base/x86_64:${fp('a')}`, { state: 'rejected' });

  const report = await new Reconciler(records, queues).run(now);

  expect(report).toMatchObject({ publishesResent: 0, unrecoverable: 0 });
  expect(queues.publishes).toEqual([]);
});

test('a run is bounded: at most maxItemsPerRun messages, and it says it stopped short', async () => {
  const { records, queues } = setUp();
  const items = ['a', 'b', 'c', 'd', 'e'].map((d) => item(`pkg-${d}`, fp(d)));
  records.plans.push(planOf('plan-a', ago(30), items));

  const report = await new Reconciler(records, queues, { ...defaultReconcileOptions, maxItemsPerRun: 3 }).run(
    now,
  );

  expect(queues.builds).toHaveLength(3);
  expect(report).toMatchObject({ planItemsRequeued: 3, truncated: true });
});

test('work that cannot be rebuilt (plan blob gone, publish never recorded) is counted, not sent', async () => {
  const { records, queues } = setUp();
  records.builds.push(record('zlib', fp('a'), 'plan-gone', 'queued', ago(300)));
  records.builds.push({
    ...record('curl', fp('b'), 'plan-gone', 'succeeded', ago(60)),
    repositories: ['base/x86_64'],
  });

  const report = await new Reconciler(records, queues).run(now);

  expect(report.unrecoverable).toBe(2);
  expect(queues.builds).toEqual([]);
  expect(queues.publishes).toEqual([]);
});

test('the message id names the period: the same within one staleness period, new in the next', () => {
  const id = (at: string) => reconcileMessageId('sha256:ab', new Date(at), 15);
  expect(id('2026-12-01T12:00:00Z')).toBe(id('2026-12-01T12:14:59Z'));
  expect(id('2026-12-01T12:15:00Z')).not.toBe(id('2026-12-01T12:14:59Z'));
  expect(id('2026-12-01T12:00:00Z')).toMatch(/^sha256:ab:reconcile:\d+$/);
});

test('a run reads at most its pages of plan items, and the next run continues where it stopped', async () => {
  const { records, queues } = setUp();
  const items = Array.from({ length: 1_000 }, (_, i) => item(`pkg-${String(i).padStart(4, '0')}`, fp('a')));
  records.plans.push(planOf('plan-big', ago(30), items));
  const options = {
    ...defaultReconcileOptions,
    maxItemsPerRun: 10_000,
    itemPageSize: 100,
    maxItemPagesPerRun: 3,
  };
  const reconciler = new Reconciler(records, queues, options);

  const reports = [];
  for (let run = 0; run < 4; run++) reports.push(await reconciler.run(now));

  expect(reports.map((r) => [r.planItemsRequeued, r.itemPages, r.stoppedBy, r.resumedFrom])).toEqual([
    [300, 3, 'pages', undefined],
    [300, 3, 'pages', 'plan-big#300'],
    [300, 3, 'pages', 'plan-big#600'],
    [100, 1, undefined, 'plan-big#900'],
  ]);
  const sent = queues.builds.map((b) => b.request.component);
  expect(sent).toEqual(items.map((i) => i.component));
  // The scan finished: the next run starts at the newest plan again.
  expect((await reconciler.run(now)).resumedFrom).toBeUndefined();
});

test('a run stops starting pages once its time is up (a slow table), and the next one continues', async () => {
  let clock = 0;
  const records = new (class extends MemoryRecords {
    override async build(component: string, fingerprint: string) {
      clock += 1_000; // each record read takes a second
      return super.build(component, fingerprint);
    }
  })();
  const queues = new MemoryQueues();
  records.plans.push(planOf('plan-new', ago(20), [item('zlib', fp('1')), item('xz', fp('2'))]));
  records.plans.push(
    planOf(
      'plan-old',
      ago(40),
      Array.from({ length: 30 }, (_, i) => item(`old-${i}`, fp('3'))),
    ),
  );
  const options = { ...defaultReconcileOptions, itemPageSize: 5, maxItemPagesPerRun: 100, maxRunMs: 10_000 };
  const reconciler = new Reconciler(records, queues, options, undefined, () => clock);

  const first = await reconciler.run(now);
  // Pages of 5 reads: the third page would start after 10 s, so the run ends after 10 items.
  expect(first).toMatchObject({ plansExamined: 2, planItemsRequeued: 10, itemPages: 2, stoppedBy: 'time' });
  const second = await reconciler.run(now);
  expect(second).toMatchObject({ resumedFrom: 'plan-old#8', planItemsRequeued: 10, stoppedBy: 'time' });
  expect(queues.builds.map((b) => b.request.component)).toEqual([
    'zlib',
    'xz',
    ...Array.from({ length: 18 }, (_, i) => `old-${i}`),
  ]);
  // A checkpoint in a plan that has left the window: the scan starts at the newest plan.
  records.plans = records.plans.filter((p) => p.planId !== 'plan-old');
  const third = await reconciler.run(now);
  expect([third.resumedFrom, third.planItemsRequeued, third.stoppedBy]).toEqual([undefined, 2, undefined]);
});

/** `item` in a given wave. */
const inWave = (wave: number, component: string, fingerprint: string): PlannedItem => ({
  ...item(component, fingerprint),
  wave,
});

test('waves: only the earliest unfinished wave can be lost, once due (since the last finish before it) for the limit', async () => {
  const { records, queues } = setUp();
  records.plans.push(
    planOf('plan-w', ago(60), [
      inWave(0, 'a0', fp('1')),
      inWave(0, 'b0', fp('2')),
      inWave(1, 'a1', fp('3')),
      inWave(1, 'b1', fp('4')),
      inWave(2, 'a2', fp('5')),
      inWave(3, 'a3', fp('6')),
    ]),
  );
  records.builds.push(record('a0', fp('1'), 'plan-w', 'succeeded', ago(50)));
  records.builds.push(record('b0', fp('2'), 'plan-w', 'failed', ago(30)));

  const report = await new Reconciler(records, queues).run(now);

  // Wave 1 was due when b0 failed, 30 minutes ago: its release was lost. Waves 2 and 3 are not sent yet.
  expect(queues.builds.map((b) => b.request.component)).toEqual(['a1', 'b1']);
  expect(report).toMatchObject({ planItemsRequeued: 2, planItemsNotSentYet: 2, itemPages: 1 });
});

test('waves: a wave that became due recently is left to its release; a build in hand keeps its wave open', async () => {
  const { records, queues } = setUp();
  records.plans.push(
    planOf('plan-x', ago(60), [
      inWave(0, 'a0', fp('1')),
      inWave(1, 'a1', fp('2')),
      inWave(1, 'b1', fp('3')),
      inWave(2, 'a2', fp('4')),
    ]),
  );
  records.builds.push(record('a0', fp('1'), 'plan-x', 'succeeded', ago(5)));
  const reconciler = new Reconciler(records, queues);

  expect(await reconciler.run(now)).toMatchObject({ planItemsRequeued: 0, planItemsNotSentYet: 1 });
  expect(queues.builds).toEqual([]);

  // Later, b1 builds but a1's message was lost (a chunk of the release): a1 alone is sent again.
  records.builds.push(record('b1', fp('3'), 'plan-x', 'building', ago(1)));
  const later = new Date(now.getTime() + 20 * 60_000);
  expect(await reconciler.run(later)).toMatchObject({ planItemsRequeued: 1, planItemsNotSentYet: 1 });
  expect(queues.builds.map((b) => b.request.component)).toEqual(['a1']);
});

test('waves: a scan resumed in the middle of a plan keeps where its waves stood', async () => {
  const { records, queues } = setUp();
  const planned = [
    inWave(0, 'a0', fp('1')),
    inWave(0, 'b0', fp('2')),
    inWave(1, 'a1', fp('3')),
    inWave(1, 'b1', fp('4')),
  ];
  records.plans.push(planOf('plan-y', ago(60), planned));
  // Wave 0 ended 10 minutes ago: wave 1 is not stale yet, although the plan is an hour old.
  records.builds.push(record('a0', fp('1'), 'plan-y', 'succeeded', ago(50)));
  records.builds.push(record('b0', fp('2'), 'plan-y', 'succeeded', ago(10)));
  const options = { ...defaultReconcileOptions, itemPageSize: 2, maxItemPagesPerRun: 1 };
  const reconciler = new Reconciler(records, queues, options);

  expect(await reconciler.run(now)).toMatchObject({ stoppedBy: 'pages', planItemsRequeued: 0 });
  expect(await reconciler.run(now)).toMatchObject({ resumedFrom: 'plan-y#2', planItemsRequeued: 0 });
  expect(queues.builds).toEqual([]);
});

test('a plan that keeps its upstreams and sent times is re-sent as the very request it sent', async () => {
  const { records, queues } = setUp();
  const plan: PlanRecord = {
    ...planOf('plan-z', ago(30), [item('zlib', fp('a'))]),
    upstreams: { zlib: { nvr: 'zlib-1-1.fc44', commit: 'c0ffee' } },
    sentAt: { 'msg-zlib': ago(31) },
  };
  records.plans.push(plan);
  // A later event moved the lock: the re-sent request still names the upstream this plan built.
  records.locks.set('zlib', { nvr: 'zlib-2-1.fc44', messageId: 'msg-later' });

  await new Reconciler(records, queues).run(now);

  expect(queues.builds.map((b) => b.request)).toEqual([buildRequestOf(plan, plan.planned[0]!)]);
  expect(queues.builds[0]?.request).toMatchObject({
    upstream: { nvr: 'zlib-1-1.fc44', commit: 'c0ffee' },
    upstreamSentAt: ago(31),
  });
});

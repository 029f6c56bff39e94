import { describe, expect, it } from 'vitest';
import type { BuildRequest } from '../../../shared/build';
import { BuildWorker, decideRelease, WaveRelease } from '../../../shared/build-worker';
import type { PlannedItem } from '../../../shared/planner';
import { buildRequestOf, buildRequestsOf, firstWaveOf } from '../../../shared/planning-pass';
import type { PlanRecord } from '../../../shared/planning-pass';
import { memoryWorkerPorts } from '../../../testing/fakes/build-worker-ports';
import { MemoryPlanProgress } from '../../../testing/fakes/memory-plan-progress';
import { MemoryPlanWaves, MemoryReleaseQueue } from '../../../testing/fakes/memory-plan-waves';

const now = new Date('2026-12-01T12:00:00Z');
const fp = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/** `width` components per wave; each depends on the one of its column in the wave before (its path). */
function planOf(planId: string, waves: number, width: number, over: Partial<PlanRecord> = {}): PlanRecord {
  const planned: PlannedItem[] = [];
  for (let wave = 0; wave < waves; wave++)
    for (let column = 0; column < width; column++) {
      const path = Array.from({ length: wave }, (_, w) => ({ from: `w${w}c${column}`, buildRequire: 'x' }));
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
            ...(wave > 0 ? { path } : {}),
          },
        ],
      });
    }
  return {
    planId,
    createdAt: '2026-12-01T11:00:00.000Z',
    messageIds: ['m-root'],
    modelVersion: 'm',
    indexVersion: 'i',
    planned,
    skipped: [],
    cycles: [],
    upstreams: { w0c0: { nvr: 'w0c0-2-1.fc44' } },
    sentAt: { 'm-root': '2026-12-01T10:59:00Z' },
    ...over,
  };
}

describe('decideRelease', () => {
  it('holds the next wave while anything up to the finished one is unfinished', () => {
    expect(decideRelease(3, ['gcc'], 10)).toEqual({ kind: 'none', why: 'wave-open' });
  });
  it('releases the wave after the finished one once everything up to it is final', () => {
    expect(decideRelease(3, [], 10)).toEqual({ kind: 'release', wave: 4 });
    expect(decideRelease(0, [], 2)).toEqual({ kind: 'release', wave: 1 });
  });
  it('releases nothing after the last wave', () => {
    expect(decideRelease(9, [], 10)).toEqual({ kind: 'none', why: 'plan-done' });
    expect(decideRelease(0, [], 1)).toEqual({ kind: 'none', why: 'plan-done' });
  });
});

/** A worker over in-memory ports with wave release, and the plan stored where both read it. */
function harness(record: PlanRecord) {
  const h = memoryWorkerPorts();
  const progress = new MemoryPlanProgress(h.ports.records);
  progress.addPlan(record.planId, record.planned);
  const plans = new MemoryPlanWaves();
  plans.add(record);
  const queue = new MemoryReleaseQueue();
  const worker = new BuildWorker(
    { ...h.ports, progress, release: { plans, builds: queue } },
    { clock: () => now },
  );
  return { ...h, progress, plans, queue, worker };
}

describe('WaveRelease', () => {
  it('sends the next wave, built from the plan record as the planning pass builds requests, in chunks', async () => {
    const record = planOf('plan-a', 3, 600);
    const h = harness(record);
    const release = new WaveRelease(h.progress, { plans: h.plans, builds: h.queue }, 250);
    for (const request of firstWaveOf(buildRequestsOf(record))) await h.worker.handle(request);
    // The worker that ended wave 0 released wave 1 already; a second check sends it again (and it is dropped).
    expect(h.queue.queued).toHaveLength(600);
    h.queue.sends.splice(0);

    const result = await release.afterFinal({ planId: 'plan-a', wave: 0 });

    expect(result).toEqual({ released: 1, sent: 600 });
    expect(h.queue.sends).toEqual([250, 250, 100]);
    expect(h.queue.dropped).toBe(600); // the worker's own release had sent them already
    const wave1 = record.planned.filter((i) => i.wave === 1).map((i) => buildRequestOf(record, i));
    expect(await h.plans.wave('plan-a', 1)).toEqual(wave1);
  });

  it('sends nothing while the wave is open, and nothing after the last wave', async () => {
    const record = planOf('plan-b', 2, 2);
    const h = harness(record);
    const [first, second] = record.planned.filter((i) => i.wave === 0);
    await h.worker.handle(buildRequestOf(record, first!));
    expect(h.queue.queued).toEqual([]);
    await h.worker.handle(buildRequestOf(record, second!));
    expect(h.queue.queued.map((r) => r.component)).toEqual(['w1c0', 'w1c1']);

    for (const request of h.queue.take(2)) await h.worker.handle(request);
    expect(h.queue.queued).toEqual([]);
    const release = new WaveRelease(h.progress, { plans: h.plans, builds: h.queue });
    expect(await release.afterFinal({ planId: 'plan-b', wave: 1 })).toEqual({ why: 'plan-done' });
    expect(await release.afterFinal({ planId: 'plan-gone', wave: 0 })).toEqual({ why: 'plan-unknown' });
  });

  it('passes over a wave with no items', async () => {
    const record = planOf('plan-c', 3, 1);
    const gapped = { ...record, planned: record.planned.filter((i) => i.wave !== 1) };
    const h = harness(gapped);
    await h.worker.handle(buildRequestOf(gapped, gapped.planned[0]!));
    expect(h.queue.queued.map((r) => [r.component, r.wave])).toEqual([['w2c0', 2]]);
  });
});

describe('BuildWorker with wave release', () => {
  it('the request a release sends is the one the planning pass would have sent: upstream, sent time, causes', async () => {
    const record = planOf('plan-d', 2, 1, {
      upstreams: { w1c0: { nvr: 'w1c0-3-1.fc44', commit: 'abc' } },
      traces: { w1c0: [{ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }] },
    });
    const h = harness(record);
    await h.worker.handle(firstWaveOf(buildRequestsOf(record))[0]!);
    expect(h.queue.queued).toEqual([buildRequestsOf(record)[1]]);
    expect(h.queue.queued[0]).toMatchObject({
      planId: 'plan-d',
      wave: 1,
      upstream: { nvr: 'w1c0-3-1.fc44', commit: 'abc' },
      upstreamSentAt: '2026-12-01T10:59:00Z',
      requestedAt: record.createdAt,
      attempt: 1,
      causes: [{ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }],
    });
  });

  it('two workers ending the last two builds of a wave at once: the next wave is queued once, built once', async () => {
    const record = planOf('plan-e', 2, 2);
    const a = harness(record);
    // A second instance: its own wave cursor, the same records, plans and queue.
    const progressB = new MemoryPlanProgress(a.ports.records);
    progressB.addPlan(record.planId, record.planned);
    const b = new BuildWorker(
      { ...a.ports, progress: progressB, release: { plans: a.plans, builds: a.queue } },
      { clock: () => now },
    );
    const [first, second] = firstWaveOf(buildRequestsOf(record));
    await Promise.all([a.worker.handle(first!), b.handle(second!)]);

    // Both wrote their final record before either checked, so both released; the queue dropped the repeat.
    expect(a.queue.dropped).toBe(2);
    expect(a.queue.queued.map((r) => r.component)).toEqual(['w1c0', 'w1c1']);
    for (const request of a.queue.take(2)) await b.handle(request);
    expect(a.ports.builder.builds.map((x) => x.component).sort()).toEqual(['w0c0', 'w0c1', 'w1c0', 'w1c1']);
    expect(a.ports.scheduler.scheduled).toEqual([]);
  });

  it('a worker that dies between the final record and the release: the redelivery finds the build final and releases', async () => {
    const record = planOf('plan-f', 2, 1);
    const h = harness(record);
    const [request] = firstWaveOf(buildRequestsOf(record));
    h.queue.failNext = true;
    await expect(h.worker.handle(request!)).rejects.toThrow('broker unavailable');
    expect(h.ports.records.rows.get(`w0c0 ${fp(1)}`)?.state).toBe('succeeded');
    expect(h.queue.queued).toEqual([]);

    // The message was not settled: the broker delivers it again.
    expect(await h.worker.handle(request!)).toEqual({ outcome: 'already-final' });
    expect(h.queue.queued.map((r) => r.component)).toEqual(['w1c0']);
    expect(h.ports.builder.builds).toHaveLength(1);
  });

  it('a redelivered message after its wave was released sends nothing new and builds nothing', async () => {
    const record = planOf('plan-g', 3, 1);
    const h = harness(record);
    const [request] = firstWaveOf(buildRequestsOf(record));
    await h.worker.handle(request!);
    const [next] = h.queue.take(1);
    expect(await h.worker.handle(request!)).toEqual({ outcome: 'already-final' });
    expect(h.queue.queued).toEqual([]);
    // This instance remembers it sent wave 1: nothing is sent again (another instance's repeat would be dropped).
    expect(h.queue.dropped).toBe(0);

    await h.worker.handle(next!);
    await h.worker.handle(next!);
    expect(h.queue.queued.map((r) => r.component)).toEqual(['w2c0']);
    expect(h.ports.builder.builds.map((b) => b.component)).toEqual(['w0c0', 'w1c0']);
  });

  it('a released wave with builds final already (an earlier plan built them) still releases the one after', async () => {
    const earlier = planOf('plan-h0', 2, 2);
    const record = planOf('plan-h', 3, 2);
    const h = harness(record);
    // plan-h0 built w1c0 at the same fingerprint before; w1c1 is still to build.
    h.progress.addPlan(earlier.planId, earlier.planned);
    await h.worker.handle({ ...buildRequestsOf(earlier)[2]!, wave: 0 });

    for (const request of firstWaveOf(buildRequestsOf(record))) await h.worker.handle(request);
    const wave1 = h.queue.take(2);
    expect(wave1.map((r) => r.component)).toEqual(['w1c0', 'w1c1']);
    expect(await h.worker.handle(wave1[0]!)).toEqual({ outcome: 'already-final' });
    expect(h.queue.queued).toEqual([]);
    await h.worker.handle(wave1[1]!);
    expect(h.queue.queued.map((r) => r.component)).toEqual(['w2c0', 'w2c1']);
  });

  it('a next wave that is final already as a whole is passed over: the wave after it is sent', async () => {
    const earlier = planOf('plan-k0', 2, 1);
    const record = planOf('plan-k', 3, 1);
    const h = harness(record);
    h.progress.addPlan(earlier.planId, earlier.planned);
    await h.worker.handle({ ...buildRequestsOf(earlier)[1]!, wave: 0 });

    await h.worker.handle(buildRequestsOf(record)[0]!);
    expect(h.queue.queued.map((r) => [r.component, r.wave])).toEqual([['w2c0', 2]]);
  });

  it('a message that arrives before its wave is due still waits at the gate (the safety net), not builds', async () => {
    const record = planOf('plan-i', 2, 2);
    const h = harness(record);
    const early: BuildRequest = buildRequestsOf(record)[2]!;
    expect(await h.worker.handle(early)).toEqual({ outcome: 'waiting' });
    expect(h.ports.scheduler.scheduled.map((s) => s.why)).toEqual(['wait']);
    expect(h.ports.builder.builds).toEqual([]);
  });

  it('a failure reported on build-results releases the next wave; its dependent is then skipped at the gate', async () => {
    const record = planOf('plan-j', 2, 1);
    const h = harness(record);
    const [request] = firstWaveOf(buildRequestsOf(record));
    const dispatching = new BuildWorker(
      {
        ...h.ports,
        progress: h.progress,
        release: { plans: h.plans, builds: h.queue },
        dispatcher: { name: 'jobs', dispatch: () => Promise.resolve({ executionName: 'exec-1' }) },
      },
      { clock: () => now },
    );
    expect(await dispatching.handle(request!)).toEqual({ outcome: 'dispatched' });
    expect(h.queue.queued).toEqual([]);

    await dispatching.acceptResult({
      component: 'w0c0',
      fingerprint: request!.fingerprint,
      planId: 'plan-j',
      executionName: 'exec-1',
      builder: 'rpmbuild',
      state: 'failed',
      artifacts: [],
      nevras: [],
      startedAt: now.toISOString(),
      finishedAt: now.toISOString(),
      code: 'build.compile-error',
      message: 'boom',
      retryable: false,
    });
    const [next] = h.queue.take(1);
    expect(next?.component).toBe('w1c0');
    const handled = await dispatching.handle(next!);
    expect(handled).toMatchObject({ outcome: 'finished', record: { state: 'cancelled' } });
    expect(h.ports.records.rows.get(`w1c0 ${next!.fingerprint}`)?.error?.message).toMatch(
      /^dependency-failed: w0c0 /,
    );
  });
});

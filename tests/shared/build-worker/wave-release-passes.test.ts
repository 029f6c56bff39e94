import { expect, it } from 'vitest';
import { isFinalBuildState } from '../../../shared/build';
import { BuildWorker } from '../../../shared/build-worker';
import { defaultPolicy } from '../../../shared/planner';
import { PlanningService } from '../../../shared/planning-pass';
import type { PlanRecord, PlanStore } from '../../../shared/planning-pass';
import { memoryWorkerPorts } from '../../../testing/fakes/build-worker-ports';
import { MemoryPlanProgress } from '../../../testing/fakes/memory-plan-progress';
import { MemoryPlanWaves, MemoryReleaseQueue } from '../../../testing/fakes/memory-plan-waves';
import { fakeDeps, model, now, policy, tagged } from '../../../testing/fakes/planner';
import {
  fixedDependencies,
  fixedModel,
  MemoryLease,
  MemoryPending,
  MemoryPublisher,
  MemoryState,
} from '../../../testing/fakes/planning-ports';

/**
 * A root update whose rebuild is over the default budget (500) is planned over several passes; each pass's
 * plan sends its first wave and the workers release the rest. Planning and building run interleaved, through
 * the real planning service and worker over in-memory ports sharing one `builds` queue.
 */
const LEVELS = 4;
const WIDTH = 300;

it('a rebuild over the default budget, planned over several passes, finishes: every item built once, no waits', async () => {
  const level = (l: number) => Array.from({ length: WIDTH }, (_, i) => `l${l}n${String(i).padStart(3, '0')}`);
  const edges: Record<string, string[]> = { zlib: level(1) };
  for (let l = 1; l < LEVELS; l++) level(l).forEach((name, i) => (edges[name] = [level(l + 1)[i] as string]));
  const names = ['zlib', ...Array.from({ length: LEVELS }, (_, l) => level(l + 1)).flat()];

  const queue = new MemoryReleaseQueue();
  const plans = new MemoryPlanWaves();
  const { ports } = memoryWorkerPorts();
  const progresses = [new MemoryPlanProgress(ports.records), new MemoryPlanProgress(ports.records)];
  const written: PlanRecord[] = [];
  const planStore: PlanStore = {
    save: (record) => {
      written.push(record);
      plans.add(record);
      for (const progress of progresses) progress.addPlan(record.planId, record.planned);
      return Promise.resolve();
    },
  };
  const state = new MemoryState();
  const pending = new MemoryPending();
  let clock = now.getTime();
  const service = new PlanningService({
    pending,
    state,
    plans: planStore,
    builds: queue,
    events: new MemoryPublisher(),
    lease: new MemoryLease(),
    model: fixedModel(model(...names.map((name) => ({ name })))),
    dependencies: fixedDependencies(fakeDeps(edges, { zlib: ['libz.so.1()(64bit)'] })),
    policy: { ...policy, budget: defaultPolicy.budget },
    clock: () => new Date(clock),
  });
  const workers = progresses.map(
    (progress) =>
      new BuildWorker(
        { ...ports, progress, release: { plans, builds: queue } },
        { clock: () => new Date(clock) },
      ),
  );

  await service.accept(tagged('zlib'));
  for (let round = 0; queue.queued.length > 0 || pending.events.size > 0; round++) {
    // A planning pass now and then (the timer), while the workers take the queue eight at a time.
    if (round % 25 === 0 && pending.events.size > 0) {
      clock += 1_000; // a new pass, a new plan id
      await service.runPass();
    }
    const batch = queue.take(8);
    await Promise.all(
      [0, 1].map(async (w) => {
        for (const request of batch.filter((_, i) => i % 2 === w)) await workers[w]!.handle(request);
      }),
    );
    if (round > 20_000) throw new Error('the rebuild does not finish');
  }

  expect(written.length).toBeGreaterThanOrEqual(3);
  expect(written.every((r) => r.planned.length <= defaultPolicy.budget)).toBe(true);
  const waveCounts = written.map((r) => Math.max(...r.planned.map((p) => p.wave)) + 1);
  expect(waveCounts[0]).toBeGreaterThanOrEqual(3);
  console.log(
    `budget split: ${written.length} plans of ${written.map((r) => r.planned.length).join(', ')} items, waves ${waveCounts.join(', ')}`,
  );
  const planned = written.flatMap((r) => r.planned);
  expect(planned.map((p) => p.component).sort()).toEqual([...names].sort());
  for (const item of planned)
    expect(
      isFinalBuildState(ports.records.rows.get(`${item.component} ${item.fingerprint}`)?.state ?? 'queued'),
      item.component,
    ).toBe(true);
  const built = ports.builder.builds.map((b) => b.component);
  expect(built.sort()).toEqual([...names].sort());
  expect(ports.scheduler.scheduled.filter((s) => s.why === 'wait')).toEqual([]);
  expect(pending.events.size).toBe(0);
});

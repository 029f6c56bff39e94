import { expect, it } from 'vitest';
import { buildRequestsOf, PlanningService } from '../../../shared/planning-pass';
import { fakeDeps, model, now, policy, tagged } from '../../../testing/fakes/planner';
import {
  fixedDependencies,
  fixedModel,
  MemoryBuildQueue,
  MemoryLease,
  MemoryPending,
  MemoryPlans,
  MemoryPublisher,
  MemoryState,
} from '../../../testing/fakes/planning-ports';

/**
 * Issue 20, "Bad input": a workload over the plan budget is planned over several passes and finishes;
 * nothing is dropped, nothing is built twice, and each pass's record says why the rest waits.
 */
it('a plan over the budget is planned over several passes: nothing dropped, nothing twice, the wait recorded', async () => {
  const dependents = Array.from({ length: 8 }, (_, i) => `dep${i}`);
  const ports = {
    pending: new MemoryPending(),
    state: new MemoryState(),
    plans: new MemoryPlans(),
    builds: new MemoryBuildQueue(),
    events: new MemoryPublisher(),
    lease: new MemoryLease(),
  };
  const service = new PlanningService({
    ...ports,
    model: fixedModel(model({ name: 'zlib' }, ...dependents.map((name) => ({ name })))),
    dependencies: fixedDependencies(fakeDeps({ zlib: dependents }, { zlib: ['libz.so.1()(64bit)'] })),
    policy: { ...policy, budget: 3 },
    clock: () => now,
  });

  const event = tagged('zlib');
  await service.accept(event);
  // The first pass builds zlib at its new upstream but keeps its old lock while its event is held.
  expect(ports.plans.records[0]?.planned.map((p) => p.component)).toEqual(['zlib', 'dep0', 'dep1']);
  expect(ports.builds.sent[0]).toMatchObject({ component: 'zlib', upstream: { nvr: event.builds[0]?.nvr } });
  expect(ports.state.locks['zlib']).toBeUndefined();

  for (let pass = 0; pass < 10 && ports.pending.events.size > 0; pass++) await service.runPass();

  expect(ports.pending.events.size).toBe(0);
  const planned = ports.plans.records.flatMap((r) => r.planned.map((p) => p.component));
  expect(new Set(planned).size).toBe(planned.length);
  expect([...planned].sort()).toEqual(['zlib', ...dependents].sort());
  // Each pass sends its plan's first wave; the worker sends the later ones from the plan records.
  expect(ports.builds.sent.every((b) => b.wave === 0)).toBe(true);
  const released = ports.plans.records.flatMap((r) => buildRequestsOf(r).filter((b) => b.wave > 0));
  const requested = [...ports.builds.sent, ...released].map((b) => b.component);
  expect(requested.sort()).toEqual(['zlib', ...dependents].sort());
  // Each later pass skips what was already sent; the last one decides the event and moves the lock.
  expect(ports.plans.records.map((r) => r.planned.length)).toEqual([3, 3, 3]);
  expect(ports.plans.records[1]?.skipped.filter((s) => s.reason === 'already-requested')).toHaveLength(3);
  expect(ports.state.locks['zlib']?.nvr).toBe(event.builds[0]?.nvr);
  expect(ports.state.planned.has(event.messageId)).toBe(true);
  const first = ports.plans.records[0]!;
  expect(first.skipped.filter((s) => s.reason === 'over-budget')).toHaveLength(6);
  expect(first.skipped.find((s) => s.reason === 'over-budget')?.detail).toBe('budget 3');
});

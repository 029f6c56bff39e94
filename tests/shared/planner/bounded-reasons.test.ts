import { describe, expect, it } from 'vitest';
import { pathDependencies } from '../../../shared/build-worker/wave-gate';
import { heldMessageIds } from '../../../shared/planning-pass/held-events';
import { plan } from '../../../shared/planner';
import type { Plan, PlannedItem, Reason } from '../../../shared/planner';
import { dependentsOf } from '../../../testing/planner/dependents-oracle';
import { componentsById } from '../../../shared/planner/model-ids';
import { planItemRowOf } from '../../../shared/storage/tables/plan-items';
import { TRANSITIVE_REASONS_KEPT } from '../../../shared/planner/reason-bound';
import { reverseGraphOf } from '../../../shared/planner/reverse-graph';
import { emptyState, fakeDeps, model, now, policy, tagged } from '../../../testing/fakes/planner';
import { generatedGraph } from '../../../testing/fakes/planner-graph';
import type { GeneratedGraph } from '../../../testing/fakes/planner-graph';
import { mulberry32 } from '../../../testing/seeded-random';

const N = TRANSITIVE_REASONS_KEPT;
const wholePolicy = { ...policy, debounceMs: 0, budget: Number.MAX_SAFE_INTEGER };

/** Tag events for `count` distinct components of `g` picked by `seed` (two events for every tenth one). */
function burstOf(g: GeneratedGraph, count: number, seed: number) {
  const random = mulberry32(seed);
  const picked = new Set<string>();
  while (picked.size < count) picked.add(g.names[Math.floor(random() * g.names.length)] as string);
  return [...picked].flatMap((name, i) => (i % 10 === 0 ? [tagged(name), tagged(name)] : [tagged(name)]));
}

/** An item's own reasons (its events) and the others (a changed component's, with a path). */
function split(item: PlannedItem): { own: Reason[]; transitive: Reason[] } {
  return {
    own: item.reasons.filter((r) => r.component === item.component && r.path === undefined),
    transitive: item.reasons.filter((r) => r.path !== undefined),
  };
}

describe('bounded reasons', () => {
  it('keep every own event of an item and at most the bound of others, and count at least what was left out', () => {
    // Five changed hubs all reach `leaf`; `mid` changed too, twice, and is reached from all five.
    const hubs = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const m = model(...[...hubs, 'mid', 'leaf'].map((name) => ({ name })));
    const deps = fakeDeps(Object.fromEntries([...hubs.map((h) => [h, ['mid']]), ['mid', ['leaf']]]));
    const [first, second] = [tagged('mid'), tagged('mid')];
    const events = [...hubs.map((h) => tagged(h)), first, second];
    const result = plan(events, m, deps, emptyState, wholePolicy, now);
    const item = (name: string) => result.planned.find((p) => p.component === name) as PlannedItem;

    const mid = split(item('mid'));
    expect(mid.own.map((r) => r.messageId)).toEqual([first.messageId, second.messageId]);
    expect(mid.transitive.map((r) => r.component)).toEqual(['h1', 'h2', 'h3']);
    expect(item('mid').reasons).toHaveLength(2 + N);
    expect(item('mid').reasonCount).toBe(2 + hubs.length);

    const leaf = item('leaf');
    expect(leaf.reasons.length).toBeLessThanOrEqual(N);
    for (const reason of leaf.reasons) {
      expect(reason.path?.[0]?.from).toBe(reason.component);
      expect(reason.path?.at(-1)?.from).toBe('mid');
    }
    // Six changed components reach leaf (the hubs through mid, and mid): it keeps three, and says so.
    expect(leaf.reasonCount).toBeGreaterThanOrEqual(hubs.length);
    expect(item('h1').reasonCount).toBeUndefined();
  });

  it('give every dependent of a fresh burst a path whose components are all planned, for the wave gate', () => {
    const g = generatedGraph(1500, 11);
    const result = plan(burstOf(g, 150, 12), g.model, g.deps, emptyState, wholePolicy, now);
    const planned = new Set(result.planned.map((p) => p.component));
    const directs = new Set(result.planned.filter((p) => split(p).own.length > 0).map((p) => p.component));
    expect(planned.size).toBeGreaterThan(directs.size * 3);
    for (const item of result.planned) {
      const { own, transitive } = split(item);
      if (!directs.has(item.component)) expect(transitive.length).toBeGreaterThanOrEqual(1);
      expect(transitive.length).toBeLessThanOrEqual(N);
      expect(own.length + transitive.length).toBe(item.reasons.length);
      const onPaths = pathDependencies(item);
      for (const name of onPaths)
        expect(planned.has(name), `${name} on a path to ${item.component}`).toBe(true);
      if (!directs.has(item.component)) expect(onPaths.length).toBeGreaterThanOrEqual(1);
      if (item.reasonCount !== undefined) expect(item.reasonCount).toBeGreaterThan(item.reasons.length);
    }
  });

  it('stay within items × (bound + own events) on a fresh burst over thousands of components', () => {
    const g = generatedGraph(3000, 21);
    const events = burstOf(g, 600, 22);
    const result = plan(events, g.model, g.deps, emptyState, wholePolicy, now);
    const reasons = result.planned.reduce((sum, item) => sum + item.reasons.length, 0);
    const items = result.planned.length;
    expect(items).toBeGreaterThan(2000);
    expect(reasons).toBeLessThanOrEqual(items * N + events.length);
    // Unbounded, an item had a reason per event of each changed component reaching it (one walk each here).
    const graph = reverseGraphOf(g.deps);
    const componentOf = componentsById(g.model, graph);
    const exact = new Map<string, number>();
    for (const event of events) {
      const name = event.packages[0] as string;
      exact.set(name, (exact.get(name) ?? 0) + 1);
      for (const id of dependentsOf(graph.idOf(name), 'transitive', graph, componentOf).ids)
        exact.set(graph.nameOf(id), (exact.get(graph.nameOf(id)) ?? 0) + 1);
    }
    const unbounded = [...exact.values()].reduce((sum, count) => sum + count, 0);
    expect(unbounded).toBeGreaterThan(reasons * 2);
    // `reasonCount` is a lower bound: never more than the exact count, never less than what is kept.
    for (const item of result.planned) {
      const count = item.reasonCount ?? item.reasons.length;
      expect(count).toBeGreaterThanOrEqual(item.reasons.length);
      expect(count).toBeLessThanOrEqual(exact.get(item.component) ?? 0);
    }
  });

  it('hold, over the budget, the event of every changed component that reaches a held item, and keep its lock', () => {
    const g = generatedGraph(1200, 31, true);
    const events = burstOf(g, 120, 32);
    const result: Plan = plan(events, g.model, g.deps, emptyState, { ...wholePolicy, budget: 300 }, now);
    const over = new Set(result.skipped.filter((s) => s.reason === 'over-budget').map((s) => s.component));
    expect(over.size).toBeGreaterThan(100);

    // By definition: each changed component's own dependents, one walk each.
    const graph = reverseGraphOf(g.deps);
    const componentOf = componentsById(g.model, graph);
    const byComponent = new Map<string, string[]>();
    for (const event of events) {
      const ids = byComponent.get(event.packages[0] as string) ?? [];
      byComponent.set(event.packages[0] as string, [...ids, event.messageId]);
    }
    const mustHold = new Set<string>();
    for (const [name, messageIds] of byComponent) {
      const rebuild = g.model.components.get(name)?.rebuild ?? 'transitive';
      const reached = dependentsOf(graph.idOf(name), rebuild, graph, componentOf).ids;
      const reachesHeld = over.has(name) || Array.from(reached).some((id) => over.has(graph.nameOf(id)));
      if (reachesHeld) for (const id of messageIds) mustHold.add(id);
    }
    expect(mustHold.size).toBeGreaterThan(over.size / 10);
    expect(heldMessageIds(result)).toEqual(mustHold);
    for (const item of result.skipped.filter((s) => s.reason === 'over-budget')) {
      const ids = (item.reasons ?? []).map((r) => r.messageId);
      expect(new Set(ids).size, `${item.component ?? ''} names a message once`).toBe(ids.length);
    }
    const plannedNames = new Set(result.planned.map((p) => p.component));
    for (const [name, messageIds] of byComponent) {
      if (!messageIds.some((id) => mustHold.has(id)) || !result.locks[name]) continue;
      expect(plannedNames.has(name)).toBe(true);
      expect(result.locksHeld).toContain(name);
    }
  });

  it("reach the plan item row's count: the planner's lower bound when it kept only some, else the reasons kept", () => {
    const hubs = ['h1', 'h2', 'h3', 'h4', 'h5'];
    const m = model(...[...hubs, 'leaf'].map((name) => ({ name })));
    const deps = fakeDeps(Object.fromEntries(hubs.map((h) => [h, ['leaf']])));
    const result = plan(
      hubs.map((h) => tagged(h)),
      m,
      deps,
      emptyState,
      wholePolicy,
      now,
    );
    const leaf = result.planned.find((p) => p.component === 'leaf') as PlannedItem;
    const hub = result.planned.find((p) => p.component === 'h1') as PlannedItem;
    expect(leaf.reasons).toHaveLength(N);
    expect(planItemRowOf('plan-1', leaf).reasonCount).toBe(hubs.length);
    expect(planItemRowOf('plan-1', hub).reasonCount).toBe(1);
  });
});

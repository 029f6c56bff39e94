import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DepsIndex } from '../../../shared/deps/dep-index';
import { normalize } from '../../../shared/fedora/normalize';
import type { UpstreamEvent } from '../../../shared/fedora/upstream-event';
import { defaultPolicy, plan } from '../../../shared/planner';
import type { PlannerPolicy } from '../../../shared/planner';
import { dependencyViewOf } from '../../../shared/planner/deps-view';
import { tempDirForTest } from '../../../testing/temp-dirs';
import { loadScaleComponents, popularityOrder, SCALE_HUBS } from '../../../testing/scale/scale-components';
import { buildScaleFixture, writeScaleFixture } from '../../../testing/scale/scale-fixture';
import type { ScaleFixture } from '../../../testing/scale/scale-fixture';
import { independentBurst, massRebuild } from '../../../testing/scale/scale-workloads';
import { settledState } from '../../../testing/scale/settled-state';

const SMALL = 300;
const NOW = new Date('2026-12-01T12:00:00Z');
// Rawhide is f44 for the one component of the tree that follows rawhide; budget unlimited, no debounce.
const POLICY: PlannerPolicy = {
  ...defaultPolicy,
  debounceMs: 0,
  budget: Number.MAX_SAFE_INTEGER,
  rawhide: 44,
};

/** Every message through the ingest's normalizer, as `replay` → `POST /api/fedora/messages` takes it. */
function eventsOf(messages: readonly unknown[]): UpstreamEvent[] {
  return messages.map((message) => {
    const outcome = normalize(message);
    if (outcome.outcome !== 'accepted') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
    return outcome.event;
  });
}

/** Components reachable from `root` through reverse build dependencies (the root excluded). */
function closure(index: DepsIndex, root: string): Set<string> {
  const seen = new Set<string>([root]);
  const queue = [root];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const dependent of index.reverseBuildDependents(next)) {
      if (seen.has(dependent)) continue;
      seen.add(dependent);
      queue.push(dependent);
    }
  }
  seen.delete(root);
  return seen;
}

describe('the small scale fixture (300 components of the real tree)', () => {
  let fixture: ScaleFixture;
  beforeAll(async () => {
    fixture = await buildScaleFixture({ components: SMALL });
  });

  it('takes real component names, the hub roles first, and is the same for the same seed', async () => {
    expect(fixture.names).toHaveLength(SMALL);
    expect(new Set(fixture.names).size).toBe(SMALL);
    expect(fixture.names.slice(0, SCALE_HUBS.length)).toEqual([...SCALE_HUBS]);
    const tree = loadScaleComponents().tree;
    expect(fixture.names.every((name) => tree.components.has(name))).toBe(true);
    const again = await buildScaleFixture({ components: SMALL });
    expect(again.names).toEqual(fixture.names);
    expect(again.index.serialize().equals(fixture.index.serialize())).toBe(true);
    expect(again.massRebuild.messages).toEqual(fixture.massRebuild.messages);
  });

  it('has a Fedora shape: the glibc-, gcc- and openssl-like roots reach most of the tree', () => {
    const reach = (root: string): number => closure(fixture.index, root).size / (SMALL - 1);
    expect(reach('glibc')).toBeGreaterThan(0.9);
    expect(reach('gcc')).toBeGreaterThan(0.9);
    expect(reach('openssl')).toBeGreaterThan(0.5);
    // …while a long tail of components is BuildRequired by nothing.
    const leaves = fixture.names.filter((name) => fixture.index.reverseBuildDependents(name).length === 0);
    expect(leaves.length).toBeGreaterThan(SMALL / 10);
  });

  it('records the workloads in the wire form the ingest accepts, with distinct message ids', () => {
    const all = [...fixture.rootUpdate.messages, ...fixture.burst.messages, ...fixture.massRebuild.messages];
    const events = eventsOf(all);
    expect(new Set(events.map((e) => e.messageId)).size).toBe(all.length);
    expect(events.every((e) => e.kind === 'tagged')).toBe(true);
    expect(eventsOf(fixture.rootUpdate.messages)[0]).toMatchObject({
      packages: ['glibc'],
      tag: 'f43-updates',
    });
  });

  it('names every component that follows a Fedora package exactly once in the mass rebuild', () => {
    const followers = [...fixture.model.components.values()].filter((c) => c.upstreamName !== undefined);
    const named = eventsOf(fixture.massRebuild.messages).flatMap((e) => e.packages);
    expect(named.sort()).toEqual(followers.map((c) => c.upstreamName).sort());
    expect([...fixture.massRebuild.components].sort()).toEqual(followers.map((c) => c.name).sort());
    const { planned, skipped } = plan(
      eventsOf(fixture.massRebuild.messages),
      fixture.model,
      dependencyViewOf(fixture.index),
      { components: {}, plannedMessageIds: new Set() },
      POLICY,
      NOW,
    );
    // Each component is planned once; a pinned one is not rebuilt for its own message (skipped `pinned`),
    // only as the dependent of another one (perl is pinned and BuildRequired by most of the tree).
    const plannedNames = planned.map((item) => item.component);
    expect(new Set(plannedNames).size).toBe(plannedNames.length);
    expect(skipped.filter((s) => s.reason !== 'pinned')).toEqual([]);
    const unpinned = followers.filter((c) => c.pin === undefined).map((c) => c.name);
    expect(
      plannedNames
        .filter((name) => !unpinned.includes(name))
        .every((name) => skipped.some((s) => s.component === name)),
    ).toBe(true);
    expect(unpinned.every((name) => plannedNames.includes(name))).toBe(true);
  });

  it('plans the root update into waves in dependency order over most of the tree', () => {
    const view = dependencyViewOf(fixture.index);
    const { planned } = plan(
      eventsOf(fixture.rootUpdate.messages),
      fixture.model,
      view,
      { components: {}, plannedMessageIds: new Set() },
      POLICY,
      NOW,
    );
    const wave = new Map(planned.map((item) => [item.component, item.wave]));
    // glibc ↔ gcc is a cycle, broken by name order: gcc (wave 0), then glibc.
    expect(wave.get('gcc')).toBe(0);
    expect(wave.get('glibc')).toBe(1);
    expect(planned.length).toBeGreaterThan(SMALL * 0.9);
    expect(Math.max(...wave.values())).toBeGreaterThan(2);
    // A planned component builds after every planned component it BuildRequires, except along the edges a
    // cycle forces the planner to break (glibc ↔ gcc and what the tail closes): those it reports.
    const { cycles } = plan(
      eventsOf(fixture.rootUpdate.messages),
      fixture.model,
      view,
      { components: {}, plannedMessageIds: new Set() },
      POLICY,
      NOW,
    );
    const broken = new Set(cycles.flatMap((c) => c.broken.map((e) => `${e.from}→${e.to}`)));
    let checked = 0;
    for (const item of planned) {
      for (const dependent of fixture.index.reverseBuildDependents(item.component)) {
        const after = wave.get(dependent);
        if (
          after === undefined ||
          broken.has(`${item.component}→${dependent}`) ||
          broken.has(`${dependent}→${item.component}`)
        )
          continue;
        expect(after, `${dependent} needs ${item.component}`).toBeGreaterThan(wave.get(item.component) ?? -1);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(planned.length);
  });

  it('plans the burst as that many independent builds once the tree is settled, and not before', () => {
    const view = dependencyViewOf(fixture.index);
    const events = eventsOf(fixture.burst.messages);
    expect(new Set(fixture.burst.components).size).toBe(100);
    const settled = plan(events, fixture.model, view, settledState(fixture.names, view), POLICY, NOW);
    expect(settled.planned.map((item) => item.component).sort()).toEqual(
      [...fixture.burst.components].sort(),
    );
    // On a fresh pipeline (no locks) a burst member that something BuildRequires pulls in its dependents.
    const withDependents = fixture.burst.components.filter(
      (name) => fixture.index.reverseBuildDependents(name).length > 0,
    );
    const fresh = plan(
      events,
      fixture.model,
      view,
      { components: {}, plannedMessageIds: new Set() },
      POLICY,
      NOW,
    );
    expect(fresh.planned.length > 100).toBe(withDependents.length > 0);
  });

  it('writes files a replay reads, and a dependency index the planning pass can load', () => {
    const dir = tempDirForTest('scale-fixture-');
    const written = writeScaleFixture(fixture, dir);
    expect(written.messages).toEqual({
      'root-update': 1,
      burst: 100,
      'mass-rebuild': fixture.massRebuild.messages.length,
    });
    const burst = JSON.parse(readFileSync(join(dir, 'workloads', 'burst.json'), 'utf8')) as unknown[];
    expect(eventsOf(burst).map((e) => e.messageId)).toEqual(fixture.burst.messages.map((m) => m.id));
    const loaded = DepsIndex.deserialize(readFileSync(join(dir, 'dependency-index.json.gz')));
    expect(loaded.reverseBuildDependents('glibc')).toEqual(fixture.index.reverseBuildDependents('glibc'));
  });
});

describe('the full-size workloads over the real tree (7,426 components)', () => {
  it('bursts 2,000 updates of 2,000 distinct components, leaves first', () => {
    const components = loadScaleComponents();
    const model = {
      components: new Map(
        [...components.names].map((n) => [
          n,
          {
            name: n,
            upstreamName: n,
            branch: 'f43',
            follows: 'snapshot' as const,
            rebuild: 'transitive' as const,
            fingerprint: n,
          },
        ]),
      ),
    };
    // A stand-in graph: only the first 1,000 names of the popularity order are BuildRequired by anything.
    const popular = new Set(components.names.slice(0, 1_000));
    const graph = { reverseBuildDependents: (name: string) => (popular.has(name) ? ['x'] : []) };
    const burst = independentBurst(model, graph);
    expect(components.names).toHaveLength(7_426);
    expect(new Set(eventsOf(burst.messages).flatMap((e) => e.packages)).size).toBe(2_000);
    expect(new Set(burst.components).size).toBe(2_000);
    expect(burst.leaves).toBe(2_000);
    expect(burst.components.some((name) => popular.has(name))).toBe(false);
  });

  it('names each of the 7,424 components that follow Fedora once in the mass rebuild', () => {
    const components = loadScaleComponents();
    expect(popularityOrder(components.names, 1).sort()).toEqual([...components.names].sort());
    const model = {
      components: new Map(
        [...components.tree.components.keys()].map((name) => [
          name,
          {
            name,
            upstreamName: name === 'azurelinux-release' || name === 'azurelinux-repos' ? undefined : name,
            branch: 'f43',
            follows: 'snapshot' as const,
            rebuild: 'transitive' as const,
            fingerprint: name,
          },
        ]),
      ),
    };
    const mass = massRebuild(model);
    expect(mass.messages).toHaveLength(7_424);
    expect(new Set(mass.components).size).toBe(7_424);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dependentsOf } from '../../../testing/planner/dependents-oracle';
import type { Hop } from '../../../testing/planner/dependents-oracle';
import { buildrootSuffix, fingerprintWith, plannedFingerprint } from '../../../shared/planner/fingerprint';
import { componentsById } from '../../../shared/planner/model-ids';
import { RANKED_FROM, compareLocale, nameRanks, sortIdsByName } from '../../../shared/planner/name-order';
import type { DependencyView, PlannerModel } from '../../../shared/planner';
import { ReverseGraph, reverseGraphOf } from '../../../shared/planner/reverse-graph';
import { orderWaves } from '../../../shared/planner/waves';
import { model } from '../../../testing/fakes/planner';

/** A view over explicit reverse dependents (source → [dependent, BuildRequire] in listing order). */
function viewOf(edges: Record<string, [string, string][]>): DependencyView {
  return {
    sourceOfBinary: (name) => name,
    binariesOfSource: (src) => [src],
    reverseBuildDependents: (src) =>
      (edges[src] ?? []).map(([source, buildRequire]) => ({ source, buildRequire })),
    providesOf: () => [],
  };
}

/** The dependents of `id` as the graph's edges list them. */
function dependentsIn(graph: ReverseGraph, id: number): number[] {
  const out: number[] = [];
  for (let e = graph.edgeStart(id); e < graph.edgeEnd(id); e++) out.push(graph.target(e));
  return out;
}

/** The distinct dependents of `id`, in first-listed order. */
function distinctDependentsIn(graph: ReverseGraph, id: number): number[] {
  const out: number[] = [];
  for (let i = graph.distinctStart(id); i < graph.distinctEnd(id); i++) out.push(graph.distinctTarget(i));
  return out;
}

/** The planner's walk as it was on names: breadth first, first path found wins, model members only. */
function referenceDependents(
  source: string,
  deps: DependencyView,
  m: PlannerModel,
  transitive: boolean,
): [string, Hop[]][] {
  const found = new Map<string, Hop[]>();
  let frontier: [string, Hop[]][] = [[source, []]];
  while (frontier.length > 0) {
    const next: [string, Hop[]][] = [];
    for (const [name, path] of frontier) {
      for (const { source: to, buildRequire } of deps.reverseBuildDependents(name)) {
        if (to === source || found.has(to) || !m.components.has(to)) continue;
        const hops = [...path, { from: name, buildRequire }];
        found.set(to, hops);
        next.push([to, hops]);
      }
    }
    frontier = transitive ? next : [];
  }
  return [...found];
}

/** Waves on names by definition: reachability for the strongly connected sets, recursion for the waves. */
function referenceWaves(names: readonly string[], deps: DependencyView) {
  const nodes = [...new Set(names)].sort();
  const planned = new Set(nodes);
  const out = new Map(
    nodes.map((n) => [
      n,
      [...new Set(deps.reverseBuildDependents(n).map((d) => d.source))].filter((d) => planned.has(d)).sort(),
    ]),
  );
  const reach = (from: string): Set<string> => {
    const seen = new Set<string>([from]);
    const todo = [from];
    while (todo.length > 0) {
      for (const to of out.get(todo.pop() as string) ?? []) {
        if (seen.has(to)) continue;
        seen.add(to);
        todo.push(to);
      }
    }
    return seen;
  };
  const reaches = new Map(nodes.map((n) => [n, reach(n)]));
  const together = (a: string, b: string) =>
    (reaches.get(a)?.has(b) ?? false) && (reaches.get(b)?.has(a) ?? false);
  const cycles: { components: string[]; broken: { from: string; to: string }[] }[] = [];
  const kept = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const from of nodes) {
    for (const to of out.get(from) ?? []) {
      if (!together(from, to) || from < to) {
        kept.get(to)?.push(from);
        continue;
      }
      const members = nodes.filter((n) => together(n, from));
      let cycle = cycles.find((c) => c.components[0] === members[0]);
      if (!cycle) cycles.push((cycle = { components: members, broken: [] }));
      cycle.broken.push({ from, to });
    }
  }
  const wave = new Map<string, number>();
  const waveOf = (n: string): number => {
    const known = wave.get(n);
    if (known !== undefined) return known;
    const w = Math.max(-1, ...(kept.get(n) ?? []).map(waveOf)) + 1;
    wave.set(n, w);
    return w;
  };
  return { waves: new Map(nodes.map((n) => [n, waveOf(n)])), cycles };
}

/** A seeded random graph of `count` sources with mixed-case, punctuated names (the two orders differ), cycles,
 * repeated dependents (several BuildRequires) and listing order not by name. */
function randomGraph(count: number, seed: number) {
  let s = seed;
  const rand = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const shapes = ['lib', 'Lib', 'lib-', 'lib_', 'perl-', 'Perl', 'py.'];
  const names = Array.from(
    { length: count },
    (_, i) => `${shapes[i % shapes.length]}${(i * 7919) % 1009}x${i}`,
  );
  const edges: Record<string, [string, string][]> = {};
  for (let i = 0; i < count; i++) {
    const list: [string, string][] = [];
    const fanOut = i < 3 ? Math.floor(count / 3) : Math.floor(rand() * 4);
    for (let k = 0; k < fanOut; k++) {
      const to = names[Math.floor(rand() * count)] as string;
      list.push([to, `${names[i]}-devel`]);
      if (rand() < 0.2) list.push([to, `pkgconfig(${names[i]}) >= 1.0`]);
    }
    edges[names[i] as string] = list;
  }
  return { names, view: viewOf(edges) };
}

describe('the integer reverse-dependency graph', () => {
  const deps = viewOf({
    a: [
      ['c', 'a-devel'],
      ['b', 'a-devel'],
      ['b', 'liba.so.1'],
      ['outside', 'a-devel'],
    ],
    b: [
      ['c', 'b-devel'],
      ['a', 'b-devel'],
    ],
    c: [['d', 'c-devel']],
    outside: [['e', 'outside-devel']],
  });
  const m = model({ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' }, { name: 'e' });

  it('reads each source once per view and keeps the listing order, repeats and BuildRequires', () => {
    let reads = 0;
    const counted: DependencyView = {
      ...deps,
      reverseBuildDependents: (src) => (reads++, deps.reverseBuildDependents(src)),
    };
    const graph = reverseGraphOf(counted);
    expect(reverseGraphOf(counted)).toBe(graph);
    const a = graph.idOf('a');
    const names = (ids: number[]) => ids.map((id) => graph.nameOf(id));
    expect(names(dependentsIn(graph, a))).toEqual(['c', 'b', 'b', 'outside']);
    expect(names(distinctDependentsIn(graph, a))).toEqual(['c', 'b', 'outside']);
    expect(graph.buildRequireAt(graph.edgeStart(a) + 2)).toBe('liba.so.1');
    dependentsIn(graph, a);
    expect(reads).toBe(1);
    expect(graph.idOf('c')).toBe(dependentsIn(graph, a)[0]);
  });

  it('walks the same dependents and paths as the walk on names, cycle and outsider included', () => {
    const graph = new ReverseGraph(deps);
    for (const transitive of [true, false]) {
      const { ids, group, paths } = dependentsOf(
        graph.idOf('a'),
        transitive ? 'transitive' : 'direct',
        graph,
        componentsById(m, graph),
      );
      const walked = Array.from(ids, (id, i) => [graph.nameOf(id), paths[group[i] as number]]);
      expect(walked).toEqual(referenceDependents('a', deps, m, transitive));
    }
    expect(dependentsOf(graph.idOf('a'), 'local', graph, componentsById(m, graph)).ids).toHaveLength(0);
  });

  it('shares a path between dependents left through the same BuildRequire, also from a component left through many', () => {
    // 40 BuildRequires leaving `hub`, each behind two dependents: past the list's limit, found in a Map.
    const edges: [string, string][] = [];
    for (let n = 0; n < 80; n++) edges.push([`dep${n}`, `libhub${n % 40}.so`]);
    const hubView = viewOf({ hub: edges });
    const hubModel = model({ name: 'hub' }, ...edges.map(([name]) => ({ name })));
    const graph = new ReverseGraph(hubView);
    const { ids, group, paths } = dependentsOf(
      graph.idOf('hub'),
      'direct',
      graph,
      componentsById(hubModel, graph),
    );
    expect(paths).toHaveLength(40);
    expect(Array.from(ids, (id, i) => [graph.nameOf(id), paths[group[i] as number]])).toEqual(
      referenceDependents('hub', hubView, hubModel, false),
    );
    expect(paths[group[40] as number]).toBe(paths[group[0] as number]);
  });

  it('orders waves and reports the broken cycle edges like the definition, on a small graph', () => {
    const graph = new ReverseGraph(deps);
    const names = ['d', 'a', 'c', 'b', 'a'];
    const { waves, cycles } = orderWaves(
      names.map((n) => graph.idOf(n)),
      graph,
    );
    const expected = referenceWaves(names, deps);
    expect(new Map([...expected.waves.keys()].map((n) => [n, waves[graph.idOf(n)]]))).toEqual(expected.waves);
    expect(cycles).toEqual([{ components: ['a', 'b'], broken: [{ from: 'b', to: 'a' }] }]);
    expect(cycles).toEqual(expected.cycles);
    expect(waves[graph.idOf('outside')]).toBe(-1);
  });

  it(`agrees with the walk and the waves on names over a random graph of ${RANKED_FROM * 2} sources`, () => {
    const { names, view } = randomGraph(RANKED_FROM * 2, 7);
    const m2 = model(...names.filter((_, i) => i % 10 !== 9).map((name) => ({ name })));
    const graph = new ReverseGraph(view);
    const source = names[0] as string;
    const { ids, group, paths } = dependentsOf(
      graph.idOf(source),
      'transitive',
      graph,
      componentsById(m2, graph),
    );
    const expected = referenceDependents(source, view, m2, true);
    expect(ids.length).toBeGreaterThan(RANKED_FROM);
    expect(Array.from(ids, (id, i) => [graph.nameOf(id), paths[group[i] as number]])).toEqual(expected);
    // Dependents reached from one component through one BuildRequire share their path.
    expect(paths.length).toBeLessThan(ids.length);
    const key = (hops: readonly Hop[]) => JSON.stringify(hops);
    expect(new Set(paths.map(key)).size).toBe(paths.length);
    const planned = [source, ...expected.map(([name]) => name)];
    const { waves, cycles } = orderWaves(
      planned.map((n) => graph.idOf(n)),
      graph,
    );
    const reference = referenceWaves(planned, view);
    expect(cycles.length).toBeGreaterThan(0);
    expect(cycles).toEqual(reference.cycles);
    expect(new Map(planned.map((n) => [n, waves[graph.idOf(n)]]))).toEqual(reference.waves);
  });
});

describe('names in order', () => {
  const { names, view } = randomGraph(RANKED_FROM + 40, 3);

  it('sorts ids by code units and by localeCompare, by ranks for a large set and by names for a small one', () => {
    const graph = new ReverseGraph(view);
    const ids = names.map((n) => graph.idOf(n));
    const byCodeUnits = [...names].sort();
    const byLocale = [...names].sort((a, b) => a.localeCompare(b));
    expect(byLocale).not.toEqual(byCodeUnits);
    expect(Array.from(sortIdsByName(graph, 'codeUnit', ids), (id) => graph.nameOf(id))).toEqual(byCodeUnits);
    expect(Array.from(sortIdsByName(graph, 'locale', ids), (id) => graph.nameOf(id))).toEqual(byLocale);
    const few = ids.slice(0, 20);
    const fewNames = few.map((id) => graph.nameOf(id));
    expect(Array.from(sortIdsByName(graph, 'locale', few), (id) => graph.nameOf(id))).toEqual(
      [...fewNames].sort((a, b) => a.localeCompare(b)),
    );
    expect(compareLocale('a', 'B')).toBe('a'.localeCompare('B'));
  });

  it('ranks again once the graph has new ids', () => {
    const graph = new ReverseGraph(view);
    names.forEach((n) => graph.idOf(n));
    const before = nameRanks(graph, 'codeUnit');
    expect(nameRanks(graph, 'codeUnit')).toBe(before);
    const late = graph.idOf('!first');
    const after = nameRanks(graph, 'codeUnit');
    expect(after.rank[late]).toBe(0);
    expect(after.byRank[0]).toBe(late);
  });
});

describe('components and fingerprints by id', () => {
  it('finds the model component of an id, and none for a source outside the model', () => {
    const graph = new ReverseGraph(viewOf({}));
    const m = model({ name: 'foo' });
    const byId = componentsById(m, graph);
    const bar = graph.idOf('bar');
    const foo = graph.idOf('foo');
    expect(byId(foo)?.name).toBe('foo');
    expect(byId(bar)).toBeUndefined();
    expect(componentsById(m, graph)(foo)).toBe(m.components.get('foo'));
  });

  it('hashes the lines tree, nvr, commit and the sorted builds, with or without a worked-out suffix', () => {
    const lock = { messageId: 'm', nvr: 'foo-1-1', commit: 'abc' };
    const text = ['sha256:tree', 'foo-1-1', 'abc', 'a@1', 'b@2'].join('\n');
    const expected = `sha256:${createHash('sha256').update(text).digest('hex')}`;
    expect(plannedFingerprint('sha256:tree', lock, ['b@2', 'a@1'])).toBe(expected);
    expect(fingerprintWith('sha256:tree', lock, buildrootSuffix(['b@2', 'a@1']))).toBe(expected);
    const bare = `sha256:${createHash('sha256').update('t\n\n').digest('hex')}`;
    expect(plannedFingerprint('t', undefined)).toBe(bare);
    // Without a lock, one change after another: each gives its own builds' lines.
    for (const builds of [['a@1'], ['b@2'], ['a@1']]) {
      const unlocked = `sha256:${createHash('sha256')
        .update(['t', '', '', ...builds].join('\n'))
        .digest('hex')}`;
      expect(fingerprintWith('t', undefined, buildrootSuffix(builds))).toBe(unlocked);
    }
  });
});

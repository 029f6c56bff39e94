import { describe, expect, it } from 'vitest';
import { closureOf } from '../../../shared/planner/closure';
import type { ClosureRoot } from '../../../shared/planner/closure';
import { dependentsOf } from '../../../testing/planner/dependents-oracle';
import { ExpansionEdges } from '../../../shared/planner/expansion-edges';
import { rootsReaching } from '../../../shared/planner/held-roots';
import { componentsById } from '../../../shared/planner/model-ids';
import { ReverseGraph } from '../../../shared/planner/reverse-graph';
import type { DependencyView, Hop } from '../../../shared/planner';
import { generatedGraph } from '../../../testing/fakes/planner-graph';
import type { GeneratedGraph } from '../../../testing/fakes/planner-graph';
import { model } from '../../../testing/fakes/planner';
import { mulberry32 } from '../../../testing/seeded-random';

/**
 * `count` distinct components of `g`, picked by `seed` among the first `upTo` (a fraction of the names: later
 * components have fewer dependents), as roots with their model's rebuild policy.
 */
function rootsOf(
  g: GeneratedGraph,
  graph: ReverseGraph,
  count: number,
  seed: number,
  upTo = 1,
): ClosureRoot[] {
  const random = mulberry32(seed);
  const picked = new Set<string>();
  while (picked.size < count) picked.add(g.names[Math.floor(random() * upTo * g.names.length)] as string);
  return [...picked].map((name) => ({
    id: graph.idOf(name),
    rebuild: g.model.components.get(name)?.rebuild ?? 'transitive',
  }));
}

/** Each root's dependents alone (`dependentsOf`), as names. */
function singleSource(g: GeneratedGraph, graph: ReverseGraph, roots: readonly ClosureRoot[]): Set<string>[] {
  const componentOf = componentsById(g.model, graph);
  return roots.map(
    (root) =>
      new Set(
        Array.from(dependentsOf(root.id, root.rebuild, graph, componentOf).ids, (id) => graph.nameOf(id)),
      ),
  );
}

/** A view over explicit reverse dependents (source → [dependent, BuildRequire] in listing order). */
function viewOf(edges: Record<string, [string, string][]>): DependencyView {
  return {
    sourceOfBinary: (name) => name,
    binariesOfSource: (source) => [source],
    reverseBuildDependents: (source) =>
      (edges[source] ?? []).map(([dependent, buildRequire]) => ({ source: dependent, buildRequire })),
    providesOf: () => [],
  };
}

/** Whether `path` is a chain of real edges from `root` to `to`: each hop's BuildRequire leads to the next. */
function isPathOf(g: GeneratedGraph, root: string, to: string, path: readonly Hop[]): boolean {
  if (path.length === 0 || path[0]?.from !== root) return false;
  return path.every((hop, i) => {
    const next = i + 1 < path.length ? (path[i + 1] as Hop).from : to;
    return (g.edges.get(hop.from) ?? []).some(([d, br]) => d === next && br === hop.buildRequire);
  });
}

describe('the multi-source closure', () => {
  for (const [seed, mixed, kept] of [
    [1, false, 3],
    [2, true, 3],
    [3, true, 1],
    [6, true, 2],
  ] as const) {
    it(`equals the union of the single-source closures, and each kept label is a real path from a root that reaches it (seed ${seed}${mixed ? ', mixed policies' : ''}, ${kept} kept)`, () => {
      const g = generatedGraph(800, seed, mixed);
      const graph = new ReverseGraph(g.deps);
      const roots = rootsOf(g, graph, 60, seed + 100);
      const alone = singleSource(g, graph, roots);
      const closure = closureOf(roots, graph, componentsById(g.model, graph), kept);

      const union = new Set(alone.flatMap((set) => [...set]));
      const found = Array.from(closure.ids, (id) => graph.nameOf(id));
      expect(new Set(found).size).toBe(found.length);
      expect(new Set(found)).toEqual(union);
      expect(union.size).toBeGreaterThan(100);

      for (const id of closure.ids) {
        const name = graph.nameOf(id);
        const labels = closure.labelsOf(id);
        expect(labels.length).toBeGreaterThanOrEqual(1);
        expect(labels.length).toBeLessThanOrEqual(kept);
        expect(new Set(labels.map((l) => l.root)).size).toBe(labels.length);
        for (const label of labels) {
          const root = graph.nameOf((roots[label.root] as ClosureRoot).id);
          expect(alone[label.root]?.has(name), `${root} reaches ${name}`).toBe(true);
          expect(isPathOf(g, root, name, label.path), `${root} → ${name}`).toBe(true);
        }
      }
    });
  }

  it('keeps every reaching root while there is room (one root: the same dependents and paths as alone)', () => {
    const g = generatedGraph(400, 7);
    const graph = new ReverseGraph(g.deps);
    const componentOf = componentsById(g.model, graph);
    const root = { id: graph.idOf('c0'), rebuild: 'transitive' as const };
    const alone = dependentsOf(root.id, 'transitive', graph, componentOf);
    const closure = closureOf([root], graph, componentOf, 3);
    expect(Array.from(closure.ids)).toEqual(Array.from(alone.ids));
    alone.ids.forEach((id, i) => {
      expect(closure.labelsOf(id).map((l) => l.path)).toEqual([alone.paths[alone.group[i] as number]]);
    });
  });
});

describe('the multi-source closure, by hand', () => {
  // d (direct) → a; t (transitive) → a → b. With one label kept, d fills a first and does not carry on.
  const view = viewOf({ d: [['a', 'd-devel']], t: [['a', 't-devel']], a: [['b', 'a-devel']] });
  const m = model({ name: 'd', rebuild: 'direct' }, { name: 't' }, { name: 'a' }, { name: 'b' });

  it('carries a transitive change on through a dependent whose kept labels are full', () => {
    const graph = new ReverseGraph(view);
    const roots: ClosureRoot[] = [
      { id: graph.idOf('d'), rebuild: 'direct' },
      { id: graph.idOf('t'), rebuild: 'transitive' },
    ];
    const closure = closureOf(roots, graph, componentsById(m, graph), 1);
    expect(Array.from(closure.ids, (id) => graph.nameOf(id)).sort()).toEqual(['a', 'b']);
    expect(closure.labelsOf(graph.idOf('a')).map((l) => l.root)).toEqual([0]);
    expect(closure.labelsOf(graph.idOf('b'))).toEqual([
      {
        root: 1,
        path: [
          { from: 't', buildRequire: 't-devel' },
          { from: 'a', buildRequire: 'a-devel' },
        ],
      },
    ]);
  });

  it('finds behind a held item the transitive root two hops away, not the direct root whose change stops before it', () => {
    const graph = new ReverseGraph(view);
    const roots: ClosureRoot[] = [
      { id: graph.idOf('d'), rebuild: 'direct' },
      { id: graph.idOf('t'), rebuild: 'transitive' },
    ];
    const closure = closureOf(roots, graph, componentsById(m, graph), 3);
    expect(rootsReaching(closure, ExpansionEdges.of(closure), [graph.idOf('b')])).toEqual([
      {
        root: 1,
        start: graph.idOf('b'),
        path: [
          { from: 't', buildRequire: 't-devel' },
          { from: 'a', buildRequire: 'a-devel' },
        ],
      },
    ]);
    expect(rootsReaching(closure, ExpansionEdges.of(closure), [graph.idOf('a')]).map((f) => f.root)).toEqual([
      0, 1,
    ]);
  });
});

describe('the roots behind held items', () => {
  for (const seed of [4, 5]) {
    it(`are exactly the roots whose own closure holds one of them, each with a real path (seed ${seed})`, () => {
      const g = generatedGraph(600, seed, true);
      const graph = new ReverseGraph(g.deps);
      const roots = rootsOf(g, graph, 80, seed + 200, 0.55);
      const alone = singleSource(g, graph, roots);
      const closure = closureOf(roots, graph, componentsById(g.model, graph), 2);
      const random = mulberry32(seed);
      const starts = Array.from(closure.ids).filter(() => random() < 0.1);
      const startNames = new Set(starts.map((id) => graph.nameOf(id)));
      expect(starts.length).toBeGreaterThan(3);

      const found = rootsReaching(closure, ExpansionEdges.of(closure), starts);

      const rootName = (index: number): string => graph.nameOf((roots[index] as ClosureRoot).id);
      const expected = roots
        .map((_, index) => index)
        .filter((index) => !startNames.has(rootName(index)))
        .filter((index) => [...(alone[index] ?? [])].some((name) => startNames.has(name)));
      expect(found.map((f) => f.root).sort((a, b) => a - b)).toEqual(expected);
      for (const f of found) {
        const start = graph.nameOf(f.start);
        expect(startNames.has(start)).toBe(true);
        expect(alone[f.root]?.has(start)).toBe(true);
        expect(isPathOf(g, rootName(f.root), start, f.path), `${rootName(f.root)} → ${start}`).toBe(true);
      }
    });
  }
});

import type { Closure } from './closure';
import type { ExpansionEdges } from './expansion-edges';
import type { Hop } from './types';

/** A root whose change reaches `start` (one of the items asked about), with a path from the root to it. */
export interface RootReaching {
  readonly root: number;
  readonly start: number;
  readonly path: readonly Hop[];
}

/**
 * The roots whose dependents hold any of `starts` (the items over the budget), each once, with the nearest
 * start and a path to it. The kept labels cannot say this (an item keeps a few of the roots that reach it),
 * and it must be exact: the event of every such root is held for the next pass, or its lock would move and
 * the ABI gate would drop the held dependents for good. One breadth-first walk backwards over the expansion
 * edges from all starts together, O(vertices + edges): a `transitive` root is found wherever the walk
 * passes it, a `direct` root only one hop from a start (its change goes no further). Roots that are starts
 * themselves are left out (their own reasons name their events).
 */
export function rootsReaching(
  closure: Closure,
  expansion: ExpansionEdges,
  starts: readonly number[],
): RootReaching[] {
  const graph = closure.graph;
  const rootIndex = new Map<number, number>();
  closure.roots.forEach((root, index) => rootIndex.set(root.id, index));
  // Per visited id: the edge it leaves through towards its start (-1 for a start).
  const toward = new Map<number, number>();
  const startSet = new Set(starts);
  const found: RootReaching[] = [];
  const taken = new Set<number>();
  const pathFrom = (id: number): readonly Hop[] => {
    const hops: Hop[] = [];
    for (let at = id, edge = toward.get(at) ?? -1; edge >= 0; edge = toward.get(at) ?? -1) {
      hops.push({ from: graph.nameOf(at), buildRequire: graph.buildRequireAt(edge) });
      at = graph.target(edge);
    }
    return hops;
  };
  const take = (id: number, start: number, path: () => readonly Hop[]): void => {
    const root = rootIndex.get(id);
    if (root === undefined || taken.has(root) || startSet.has(id)) return;
    taken.add(root);
    found.push({ root, start, path: path() });
  };
  const queue: number[] = [];
  const startOf = new Map<number, number>();
  for (const start of starts) {
    if (toward.has(start)) continue;
    toward.set(start, -1);
    startOf.set(start, start);
    queue.push(start);
  }
  for (let head = 0; head < queue.length; head++) {
    const to = queue[head] as number;
    const start = startOf.get(to) as number;
    expansion.into(to, (from, edge) => {
      const root = rootIndex.get(from);
      const rebuild = root === undefined ? undefined : closure.roots[root]?.rebuild;
      // A `direct` root's change goes one hop: it reaches a start only from next to it.
      if (rebuild === 'direct' && startSet.has(to))
        take(from, to, () => [{ from: graph.nameOf(from), buildRequire: graph.buildRequireAt(edge) }]);
      // Only a component that carried a transitive change on passes changes from behind it.
      if (!closure.isDeep(from) || toward.has(from)) return;
      toward.set(from, edge);
      startOf.set(from, start);
      queue.push(from);
      if (rebuild === 'transitive') take(from, start, () => pathFrom(from));
    });
  }
  return found;
}

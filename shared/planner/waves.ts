import type { DependencyView } from './ports';
import type { Cycle } from './types';

/**
 * Orders `components` into waves: a component's wave is one more than the latest wave among the planned
 * components it BuildRequires, so each wave can build in parallel once the earlier ones are done. Cycles
 * (strongly connected sets) are broken deterministically: inside one, only edges from a name to a later
 * name are kept, and the dropped edges are reported.
 */
export function orderWaves(
  components: readonly string[],
  deps: DependencyView,
): { waves: Map<string, number>; cycles: Cycle[] } {
  const nodes = [...new Set(components)].sort();
  const set = new Set(nodes);
  const edges = new Map<string, string[]>();
  for (const node of nodes) {
    const out = deps
      .reverseBuildDependents(node)
      .map((d) => d.source)
      .filter((to) => set.has(to));
    edges.set(node, [...new Set(out)].sort());
  }
  const sccOf = stronglyConnected(nodes, edges);
  const membersOf = new Map<number, string[]>();
  for (const node of nodes) {
    const scc = sccOf.get(node) ?? -1;
    const members = membersOf.get(scc);
    if (members) members.push(node);
    else membersOf.set(scc, [node]);
  }
  const cycles = new Map<number, Cycle & { broken: { from: string; to: string }[] }>();
  const kept = new Map<string, string[]>();
  for (const from of nodes) {
    const keep: string[] = [];
    for (const to of edges.get(from) ?? []) {
      const scc = sccOf.get(from) ?? -1;
      if (scc !== sccOf.get(to) || from < to) {
        keep.push(to);
        continue;
      }
      const cycle = cycles.get(scc) ?? { components: membersOf.get(scc) ?? [], broken: [] };
      cycle.broken.push({ from, to });
      cycles.set(scc, cycle);
    }
    kept.set(from, keep);
  }
  return { waves: longestPath(nodes, kept), cycles: [...cycles.values()] };
}

/** Wave of each node in a DAG: 0 without predecessors, else 1 + the largest predecessor wave (Kahn). */
function longestPath(
  nodes: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
): Map<string, number> {
  const indegree = new Map(nodes.map((n) => [n, 0]));
  for (const out of edges.values()) for (const to of out) indegree.set(to, (indegree.get(to) ?? 0) + 1);
  const wave = new Map(nodes.map((n) => [n, 0]));
  const queue = nodes.filter((n) => indegree.get(n) === 0);
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i] as string;
    for (const to of edges.get(from) ?? []) {
      wave.set(to, Math.max(wave.get(to) ?? 0, (wave.get(from) ?? 0) + 1));
      const left = (indegree.get(to) ?? 0) - 1;
      indegree.set(to, left);
      if (left === 0) queue.push(to);
    }
  }
  return wave;
}

/** Tarjan's algorithm, iterative (a planned set can be thousands deep): node → component index. */
function stronglyConnected(
  nodes: readonly string[],
  edges: ReadonlyMap<string, readonly string[]>,
): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const result = new Map<string, number>();
  let counter = 0;
  let sccCount = 0;
  for (const root of nodes) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const out = edges.get(frame.node) ?? [];
      if (frame.next < out.length) {
        const to = out[frame.next++] as string;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(to) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        let member: string | undefined;
        do {
          member = stack.pop() as string;
          onStack.delete(member);
          result.set(member, sccCount);
        } while (member !== frame.node);
        sccCount++;
      }
    }
  }
  return result;
}

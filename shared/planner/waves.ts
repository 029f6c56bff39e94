import type { DependencyView } from './ports';
import type { Cycle } from './types';

/**
 * Orders `components` into waves: a component's wave is one more than the latest wave among the planned
 * components it BuildRequires, so each wave can build in parallel once the earlier ones are done. Cycles
 * (strongly connected sets) are broken deterministically: inside one, only edges from a name to a later
 * name are kept, and the dropped edges are reported. Works on integer ids (a root package's plan holds the
 * whole distribution).
 */
export function orderWaves(
  components: readonly string[],
  deps: DependencyView,
): { waves: Map<string, number>; cycles: Cycle[] } {
  const nodes = [...new Set(components)].sort();
  const graph = graphOf(nodes, deps);
  const scc = stronglyConnected(graph);
  const members = new Map<number, number[]>();
  for (let n = 0; n < nodes.length; n++) {
    const list = members.get(scc[n] as number);
    if (list) list.push(n);
    else members.set(scc[n] as number, [n]);
  }
  const cycles = new Map<number, Cycle & { broken: { from: string; to: string }[] }>();
  const kept: number[][] = nodes.map(() => []);
  for (let from = 0; from < nodes.length; from++) {
    for (const to of graph[from] as number[]) {
      const component = scc[from] as number;
      // Ids follow the sorted names, so `from < to` is "from sorts before to".
      if (component !== scc[to] || from < to) {
        (kept[from] as number[]).push(to);
        continue;
      }
      const cycle = cycles.get(component) ?? {
        components: (members.get(component) ?? []).map((m) => nodes[m] as string),
        broken: [],
      };
      cycle.broken.push({ from: nodes[from] as string, to: nodes[to] as string });
      cycles.set(component, cycle);
    }
  }
  const wave = longestPath(kept);
  return { waves: new Map(nodes.map((name, n) => [name, wave[n] as number])), cycles: [...cycles.values()] };
}

/** Edges `from → to` where `to` BuildRequires `from`, both planned; sorted, without duplicates. */
function graphOf(nodes: readonly string[], deps: DependencyView): number[][] {
  const id = new Map(nodes.map((name, n) => [name, n]));
  return nodes.map((name) => {
    const out: number[] = [];
    let sorted = true;
    for (const dependent of deps.reverseBuildDependents(name)) {
      const to = id.get(dependent.source);
      if (to === undefined || to === out[out.length - 1]) continue;
      if (out.length > 0 && to < (out[out.length - 1] as number)) sorted = false;
      out.push(to);
    }
    return sorted ? out : [...new Set(out)].sort((a, b) => a - b);
  });
}

/** Wave of each node in a DAG: 0 without predecessors, else 1 + the largest predecessor wave (Kahn). */
function longestPath(edges: readonly (readonly number[])[]): Int32Array {
  const indegree = new Int32Array(edges.length);
  for (const out of edges) for (const to of out) indegree[to] = (indegree[to] as number) + 1;
  const wave = new Int32Array(edges.length);
  const queue: number[] = [];
  for (let n = 0; n < edges.length; n++) if (indegree[n] === 0) queue.push(n);
  for (let i = 0; i < queue.length; i++) {
    const from = queue[i] as number;
    for (const to of edges[from] as number[]) {
      wave[to] = Math.max(wave[to] as number, (wave[from] as number) + 1);
      indegree[to] = (indegree[to] as number) - 1;
      if (indegree[to] === 0) queue.push(to);
    }
  }
  return wave;
}

/** Tarjan's algorithm, iterative (a planned set can be thousands deep): node → component number. */
function stronglyConnected(edges: readonly (readonly number[])[]): Int32Array {
  const count = edges.length;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const result = new Int32Array(count);
  const stack: number[] = [];
  const work: number[] = [];
  const next = new Int32Array(count);
  let counter = 0;
  let components = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    work.push(root);
    while (work.length > 0) {
      const node = work[work.length - 1] as number;
      const out = edges[node] as number[];
      if ((next[node] as number) < out.length) {
        const to = out[next[node] as number] as number;
        next[node] = (next[node] as number) + 1;
        if (index[to] === -1) {
          index[to] = low[to] = counter++;
          stack.push(to);
          onStack[to] = 1;
          work.push(to);
        } else if (onStack[to]) {
          low[node] = Math.min(low[node] as number, index[to] as number);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent] as number, low[node] as number);
      if (low[node] === index[node]) {
        let member: number;
        do {
          member = stack.pop() as number;
          onStack[member] = 0;
          result[member] = components;
        } while (member !== node);
        components++;
      }
    }
  }
  return result;
}

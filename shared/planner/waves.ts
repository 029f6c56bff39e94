import { cycleReport } from './cycle-report';
import { sortIdsByName } from './name-order';
import type { ReverseGraph } from './reverse-graph';
import type { Cycle } from './types';

/** Edges of nodes `0..n-1` as a compressed sparse row table: `targets[offsets[n]..offsets[n+1]]`. */
interface Edges {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

/**
 * Orders `components` (ids of `graph`) into waves: a component's wave is one more than the latest wave among
 * the planned components it BuildRequires, so each wave can build in parallel once the earlier ones are done.
 * Cycles (strongly connected sets) are broken deterministically: inside one, only edges from a name to a
 * later name (`sort()` order) are kept, and the dropped edges are reported. Works on integer ids in typed
 * arrays (a root package's plan holds the whole distribution). `waves[id]` is the wave of a given id, -1 for
 * any other.
 */
export function orderWaves(
  components: ArrayLike<number>,
  graph: ReverseGraph,
): { waves: Int32Array; cycles: Cycle[] } {
  const ids = sortIdsByName(graph, 'codeUnit', distinct(components, graph.size));
  const edges = edgesOf(ids, graph);
  const scc = stronglyConnected(edges);
  const keptOffsets = new Int32Array(ids.length + 1);
  const keptTargets = new Int32Array(edges.targets.length);
  // Broken edges as (from, to) node pairs, in the order met: by `from`, then by `to`.
  const broken = new Int32Array(edges.targets.length * 2);
  let kept = 0;
  let brokenCount = 0;
  for (let from = 0; from < ids.length; from++) {
    const component = scc[from] as number;
    for (let e = edges.offsets[from] as number; e < (edges.offsets[from + 1] as number); e++) {
      const to = edges.targets[e] as number;
      // Ids follow the sorted names, so `from < to` is "from sorts before to".
      if (component !== scc[to] || from < to) {
        keptTargets[kept++] = to;
        continue;
      }
      broken[brokenCount++] = from;
      broken[brokenCount++] = to;
    }
    keptOffsets[from + 1] = kept;
  }
  const wave = longestPath({ offsets: keptOffsets, targets: keptTargets.subarray(0, kept) });
  const waves = new Int32Array(graph.size).fill(-1);
  for (let n = 0; n < ids.length; n++) waves[ids[n] as number] = wave[n] as number;
  return {
    waves,
    cycles: cyclesOf(scc, broken.subarray(0, brokenCount), (n) => graph.nameOf(ids[n] as number)),
  };
}

/**
 * The cycles, in the order of their first broken edge: each strongly connected set with a broken edge (every
 * set of two or more nodes has one), its members in node (name) order and its broken edges in the order met.
 */
function cyclesOf(scc: Int32Array, broken: Int32Array, nameOf: (node: number) => string): Cycle[] {
  const cycleOf = new Int32Array(scc.length).fill(-1);
  const sizes: number[] = [];
  for (let b = 0; b < broken.length; b += 2) {
    const component = scc[broken[b] as number] as number;
    if (cycleOf[component] === -1) {
      cycleOf[component] = sizes.length;
      sizes.push(0);
    }
    sizes[cycleOf[component] as number]! += 2;
  }
  const pairs = sizes.map((size) => new Uint32Array(size));
  const filled = sizes.map(() => 0);
  for (let b = 0; b < broken.length; b += 2) {
    const index = cycleOf[scc[broken[b] as number] as number] as number;
    const at = filled[index] as number;
    const into = pairs[index] as Uint32Array;
    into[at] = broken[b] as number;
    into[at + 1] = broken[b + 1] as number;
    filled[index] = at + 2;
  }
  const members = sizes.map((): string[] => []);
  for (let n = 0; n < scc.length; n++) {
    const index = cycleOf[scc[n] as number] as number;
    if (index >= 0) (members[index] as string[]).push(nameOf(n));
  }
  return members.map((components, i) => cycleReport(components, pairs[i] as Uint32Array, nameOf));
}

/** `ids` without repeats, first occurrence kept (all are ids below `size`). */
function distinct(ids: ArrayLike<number>, size: number): Uint32Array {
  const seen = new Uint8Array(size);
  const out = new Uint32Array(ids.length);
  let count = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i] as number;
    if (seen[id]) continue;
    seen[id] = 1;
    out[count++] = id;
  }
  return out.subarray(0, count);
}

/** Edges `from → to` where `to` BuildRequires `from`, both planned; sorted, without duplicates. */
function edgesOf(ids: Int32Array, graph: ReverseGraph): Edges {
  let total = 0;
  // Loading a node's dependents can give new ids, so the id → node table is sized after all are loaded.
  for (const id of ids) total += graph.distinctEnd(id) - graph.distinctStart(id);
  const node = new Int32Array(graph.size).fill(-1);
  for (let n = 0; n < ids.length; n++) node[ids[n] as number] = n;
  const offsets = new Int32Array(ids.length + 1);
  const targets = new Int32Array(total);
  let count = 0;
  for (let n = 0; n < ids.length; n++) {
    const start = count;
    let sorted = true;
    const id = ids[n] as number;
    const end = graph.distinctEnd(id);
    for (let i = graph.distinctStart(id); i < end; i++) {
      const to = node[graph.distinctTarget(i)] as number;
      if (to < 0) continue;
      if (count > start && to < (targets[count - 1] as number)) sorted = false;
      targets[count++] = to;
    }
    if (!sorted) targets.subarray(start, count).sort();
    offsets[n + 1] = count;
  }
  return { offsets, targets: targets.subarray(0, count) };
}

/** Wave of each node in a DAG: 0 without predecessors, else 1 + the largest predecessor wave (Kahn). */
function longestPath(edges: Edges): Int32Array {
  const { offsets, targets } = edges;
  const count = offsets.length - 1;
  const indegree = new Int32Array(count);
  for (let e = 0; e < targets.length; e++) indegree[targets[e] as number]! += 1;
  const wave = new Int32Array(count);
  const queue = new Int32Array(count);
  let tail = 0;
  for (let n = 0; n < count; n++) if (indegree[n] === 0) queue[tail++] = n;
  for (let head = 0; head < tail; head++) {
    const from = queue[head] as number;
    const next = (wave[from] as number) + 1;
    for (let e = offsets[from] as number; e < (offsets[from + 1] as number); e++) {
      const to = targets[e] as number;
      if ((wave[to] as number) < next) wave[to] = next;
      indegree[to] = (indegree[to] as number) - 1;
      if (indegree[to] === 0) queue[tail++] = to;
    }
  }
  return wave;
}

/** Tarjan's algorithm, iterative (a planned set can be thousands deep): node → component number. */
function stronglyConnected(edges: Edges): Int32Array {
  const { offsets, targets } = edges;
  const count = offsets.length - 1;
  const index = new Int32Array(count).fill(-1);
  const low = new Int32Array(count);
  const onStack = new Uint8Array(count);
  const result = new Int32Array(count);
  const stack = new Int32Array(count);
  const work = new Int32Array(count);
  const next = offsets.slice(0, count);
  let stackTop = 0;
  let workTop = 0;
  let counter = 0;
  let components = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack[stackTop++] = root;
    onStack[root] = 1;
    work[workTop++] = root;
    while (workTop > 0) {
      const node = work[workTop - 1] as number;
      const e = next[node] as number;
      if (e < (offsets[node + 1] as number)) {
        const to = targets[e] as number;
        next[node] = e + 1;
        if (index[to] === -1) {
          index[to] = low[to] = counter++;
          stack[stackTop++] = to;
          onStack[to] = 1;
          work[workTop++] = to;
        } else if (onStack[to]) {
          low[node] = Math.min(low[node] as number, index[to] as number);
        }
        continue;
      }
      workTop--;
      if (workTop > 0) {
        const parent = work[workTop - 1] as number;
        low[parent] = Math.min(low[parent] as number, low[node] as number);
      }
      if (low[node] === index[node]) {
        let member: number;
        do {
          member = stack[--stackTop] as number;
          onStack[member] = 0;
          result[member] = components;
        } while (member !== node);
        components++;
      }
    }
  }
  return result;
}

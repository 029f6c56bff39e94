import { U32Vec } from '../deps/columns';
import { LeavingPaths } from './leaving-paths';
import type { ReverseGraph } from './reverse-graph';
import type { Hop, PlannerComponent, RebuildPolicy } from './types';

/** A changed component whose dependents are rebuilt: its graph id and its component's rebuild policy. */
export interface ClosureRoot {
  readonly id: number;
  readonly rebuild: RebuildPolicy;
}

/** One root that reaches a dependent, and a BuildRequire path from that root to it. */
export interface RootLabel {
  /** The root's index in the `roots` given to `closureOf`. */
  readonly root: number;
  readonly path: readonly Hop[];
}

const REACHED = 1;
const OUTSIDE = 2;
/** Expanded by a transitive walk (once is enough for the closure; labels may expand it again). */
const DEEP = 4;

/**
 * The dependents of many changed components at once, in one multi-source walk over the reverse
 * build-dependency graph. What each root reaches is what `dependentsOf` (testing/planner/dependents-oracle.ts) gives it alone (none for `local`, the
 * direct dependents for `direct`, everything transitively for `transitive`; only model components, never the
 * root itself), and the closure is the union of those; but the walk is not one per root. Each dependent keeps
 * at most `labelsKept` roots (the first to arrive, breadth first from all roots together) with a path from
 * each, and is expanded once per kept label plus at most once more to carry the walk on when its labels are
 * full: O(labelsKept × (vertices + edges)) for the whole set, whatever the number of roots. A root dropped
 * at a full dependent still reaches what lies behind it (through the one extra expansion), under another
 * root's label or its own where a later dependent has room: which roots a dependent names depends on the order
 * they arrive, not on their names. A path is a real BuildRequire chain from its root, not always the
 * shortest one.
 */
export function closureOf(
  roots: readonly ClosureRoot[],
  graph: ReverseGraph,
  componentOf: (id: number) => PlannerComponent | undefined,
  labelsKept: number,
): Closure {
  const closure = new Closure(roots, graph, labelsKept);
  const queue = new WalkQueue();
  roots.forEach((root, index) => {
    if (root.rebuild === 'local') return;
    const deep = root.rebuild === 'transitive';
    if (deep) closure.markDeep(root.id);
    queue.push(root.id, index, [], deep);
  });
  const leaving = new LeavingPaths();
  const leavingPaths: (readonly Hop[])[] = [];
  for (let head = 0; head < queue.length; head++) {
    const { from, root, path: pathHere, deep } = queue.at(head);
    const rootId = (roots[root] as ClosureRoot).id;
    const fromName = graph.nameOf(from);
    leaving.reset();
    leavingPaths.length = 0;
    const end = graph.edgeEnd(from);
    for (let edge = graph.edgeStart(from); edge < end; edge++) {
      const to = graph.target(edge);
      if (to === rootId || !closure.admit(to, componentOf)) continue;
      if (closure.hasLabel(to, root)) continue;
      const full = closure.labelCount(to) >= labelsKept;
      // Full and already carried on: nothing new to keep here, and what lies behind is reached.
      if (full && (!deep || closure.isDeep(to))) continue;
      const buildRequire = graph.buildRequireAt(edge);
      let index = leaving.find(buildRequire);
      if (index < 0) {
        index = leavingPaths.length;
        leaving.add(buildRequire, index);
        leavingPaths.push(pathHere.concat({ from: fromName, buildRequire }));
      }
      const path = leavingPaths[index] as readonly Hop[];
      if (!full) closure.addLabel(to, root, path);
      if (!deep) continue;
      closure.markDeep(to);
      queue.push(to, root, path, true);
    }
  }
  return closure;
}

/**
 * What `closureOf` found: the dependents in the order first reached, the kept labels of each, and which
 * components the walk expanded (what `rootsReaching` walks back over).
 */
export class Closure {
  private readonly order = new U32Vec(256);
  private flags: Uint8Array;
  private counts: Uint8Array;
  private labelRoots: Int32Array;
  private readonly labelPaths: (readonly Hop[] | undefined)[] = [];

  constructor(
    readonly roots: readonly ClosureRoot[],
    /** The graph the closure was walked on. */
    readonly graph: ReverseGraph,
    private readonly labelsKept: number,
  ) {
    const size = Math.max(1024, graph.size * 2);
    this.flags = new Uint8Array(size);
    this.counts = new Uint8Array(size);
    this.labelRoots = new Int32Array(size * labelsKept).fill(-1);
  }

  /** The dependents (ids), in the order first reached; roots are listed only when another root reaches them. */
  get ids(): Uint32Array {
    return this.order.view();
  }

  /** The kept labels of `id`, in the order they arrived (empty for an id the walk did not reach). */
  labelsOf(id: number): RootLabel[] {
    const labels: RootLabel[] = [];
    if (id >= this.counts.length) return labels;
    const count = this.counts[id] as number;
    for (let k = 0; k < count; k++) {
      const slot = id * this.labelsKept + k;
      labels.push({ root: this.labelRoots[slot] as number, path: this.labelPaths[slot] as readonly Hop[] });
    }
    return labels;
  }

  /** Whether the walk carried a transitive change on through `id` (its dependents are reached). */
  isDeep(id: number): boolean {
    return id < this.flags.length && ((this.flags[id] as number) & DEEP) !== 0;
  }

  isReached(id: number): boolean {
    return id < this.flags.length && ((this.flags[id] as number) & REACHED) !== 0;
  }

  /** Whether `id` is a model component; marks it reached, and lists it the first time. */
  admit(id: number, componentOf: (id: number) => PlannerComponent | undefined): boolean {
    this.grow(id);
    const flags = this.flags[id] as number;
    if (flags & OUTSIDE) return false;
    if (flags & REACHED) return true;
    if (componentOf(id) === undefined) {
      this.flags[id] = flags | OUTSIDE;
      return false;
    }
    this.flags[id] = flags | REACHED;
    this.order.push(id);
    return true;
  }

  hasLabel(id: number, root: number): boolean {
    const count = this.counts[id] as number;
    for (let k = 0; k < count; k++) if (this.labelRoots[id * this.labelsKept + k] === root) return true;
    return false;
  }

  labelCount(id: number): number {
    return this.counts[id] as number;
  }

  addLabel(id: number, root: number, path: readonly Hop[]): void {
    const slot = id * this.labelsKept + (this.counts[id] as number);
    this.labelRoots[slot] = root;
    this.labelPaths[slot] = path;
    this.counts[id] = (this.counts[id] as number) + 1;
  }

  markDeep(id: number): void {
    this.grow(id);
    this.flags[id] = (this.flags[id] as number) | DEEP;
  }

  /** A walk can meet ids beyond those known when it started (the graph names sources on first read). */
  private grow(id: number): void {
    if (id < this.flags.length) return;
    const size = Math.max(id + 1, this.flags.length * 2);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.flags = flags;
    const counts = new Uint8Array(size);
    counts.set(this.counts);
    this.counts = counts;
    const labelRoots = new Int32Array(size * this.labelsKept).fill(-1);
    labelRoots.set(this.labelRoots);
    this.labelRoots = labelRoots;
  }
}

/** The walk's queue: (component to expand, root whose change it carries, path to it, whether transitive). */
class WalkQueue {
  private readonly froms = new U32Vec(256);
  private readonly roots = new U32Vec(256);
  private readonly deeps = new U32Vec(256);
  private readonly paths: (readonly Hop[])[] = [];

  get length(): number {
    return this.froms.length;
  }

  push(from: number, root: number, path: readonly Hop[], deep: boolean): void {
    this.froms.push(from);
    this.roots.push(root);
    this.deeps.push(deep ? 1 : 0);
    this.paths.push(path);
  }

  at(i: number): { from: number; root: number; path: readonly Hop[]; deep: boolean } {
    return {
      from: this.froms.get(i),
      root: this.roots.get(i),
      path: this.paths[i] as readonly Hop[],
      deep: this.deeps.get(i) === 1,
    };
  }
}

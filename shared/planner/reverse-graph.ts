import type { DependencyView } from './ports';

/**
 * The reverse build-dependency graph of a dependency view on integer ids: a source is named by the id it
 * was first met under, and its dependents are read from the view once, on first use, into typed arrays. A
 * plan over a root package walks the whole distribution (about 200,000 edges at Fedora scale); on ids the
 * walk allocates nothing per edge. A view does not change once built (see `DependencyView`), so one graph is
 * kept per view (`reverseGraphOf`).
 */
export class ReverseGraph {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** Per id: one entry per reverse dependent as the view lists it (a source may appear once per BuildRequire). */
  private readonly targets: (Int32Array | undefined)[] = [];
  private readonly requires: (readonly string[] | undefined)[] = [];
  /** Per id: the distinct dependents, in first-listed order. */
  private readonly distinctTargets: (Int32Array | undefined)[] = [];

  constructor(private readonly deps: DependencyView) {}

  /** How many sources have an id so far (ids are `0..size-1`). */
  get size(): number {
    return this.names.length;
  }

  /** The id of `name`, giving it the next one when it has none yet. */
  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(canonical(name));
      this.ids.set(name, id);
    }
    return id;
  }

  nameOf(id: number): string {
    return this.names[id] ?? '';
  }

  /** The ids of the sources that BuildRequire `id`, one per reverse dependent of the view, in its order. */
  dependents(id: number): Int32Array {
    return this.targets[id] ?? this.load(id).targets;
  }

  /** The BuildRequire behind `dependents(id)[k]`, as the view wrote it. */
  buildRequire(id: number, k: number): string {
    return (this.requires[id] ?? this.load(id).requires)[k] ?? '';
  }

  /** `dependents(id)` without repeats (first occurrence kept). */
  distinctDependents(id: number): Int32Array {
    return this.distinctTargets[id] ?? this.load(id).distinct;
  }

  private load(id: number): { targets: Int32Array; requires: readonly string[]; distinct: Int32Array } {
    const found = this.deps.reverseBuildDependents(this.nameOf(id));
    const targets = new Int32Array(found.length);
    const requires: string[] = new Array<string>(found.length);
    const seen = new Set<number>();
    const distinct: number[] = [];
    for (let k = 0; k < found.length; k++) {
      const dependent = found[k];
      if (dependent === undefined) continue;
      const to = this.idOf(dependent.source);
      targets[k] = to;
      requires[k] = dependent.buildRequire;
      if (!seen.has(to)) {
        seen.add(to);
        distinct.push(to);
      }
    }
    const loaded = { targets, requires, distinct: Int32Array.from(distinct) };
    this.targets[id] = loaded.targets;
    this.requires[id] = loaded.requires;
    this.distinctTargets[id] = loaded.distinct;
    return loaded;
  }
}

/**
 * The engine's shared copy of `value`: a property key is stored once (internalized) and `Object.keys` hands
 * that copy out. Names read from repodata are slices of the parsed text; looked up by such a slice, every
 * `state.components[name]` probes the engine's string table first, by the shared copy it compares pointers.
 */
function canonical(value: string): string {
  return Object.keys({ [value]: 0 })[0] ?? value;
}

const graphs = new WeakMap<DependencyView, ReverseGraph>();

/** The graph of `deps`, made on first use and kept as long as the view is. */
export function reverseGraphOf(deps: DependencyView): ReverseGraph {
  let graph = graphs.get(deps);
  if (!graph) {
    graph = new ReverseGraph(deps);
    graphs.set(deps, graph);
  }
  return graph;
}

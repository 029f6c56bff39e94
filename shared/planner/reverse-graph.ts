import { U32Vec } from '../deps/columns';
import { engineCopy } from './engine-copy';
import type { DependencyView } from './ports';

/**
 * The reverse build-dependency graph of a dependency view on integer ids: a source is named by the id it
 * was first met under, and its dependents are read from the view once, on first use. A plan over a root
 * package walks the whole distribution (about 200,000 edges at Fedora scale): on ids the walk allocates
 * nothing per edge, and the edges of every source sit in a few shared vectors (`EdgeArena`) rather than in
 * arrays per source, which the garbage collector would otherwise trace on every full collection (there
 * were 150,000 of them at Fedora scale). A view does not change once built (see `DependencyView`), so one
 * graph is kept per view (`reverseGraphOf`).
 */
export class ReverseGraph {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /** One edge per reverse dependent as the view lists it (a source may appear once per BuildRequire). */
  private readonly edges = new EdgeArena(true);
  /** The distinct dependents of each source, in first-listed order. */
  private readonly distinct = new EdgeArena(false);
  /** Per id: 1 once its dependents are read. */
  private readonly loaded = new U32Vec(1024);
  /** Per id: the last source whose distinct dependents it was counted in, plus one. */
  private readonly seenBy = new U32Vec(1024);

  constructor(private readonly deps: DependencyView) {}

  /** How many sources have an id so far (ids are `0..size-1`). */
  get size(): number {
    return this.names.length;
  }

  /** The id of `name`, giving it the next one when it has none yet. */
  idOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      const copy = engineCopy(name);
      id = this.names.length;
      this.names.push(copy);
      this.ids.set(copy, id);
      this.loaded.push(0);
      this.seenBy.push(0);
    }
    return id;
  }

  nameOf(id: number): string {
    return this.names[id] ?? '';
  }

  /** Where `id`'s edges start: edges `edgeStart(id)..edgeEnd(id)-1` are read with `target` and `buildRequireAt`. */
  edgeStart(id: number): number {
    return this.load(id).edges.start(id);
  }

  edgeEnd(id: number): number {
    return this.load(id).edges.end(id);
  }

  /** The dependent at the end of an edge. */
  target(edge: number): number {
    return this.edges.target(edge);
  }

  /** The BuildRequire behind an edge, as the view wrote it. */
  buildRequireAt(edge: number): string {
    return this.edges.label(edge);
  }

  /** Like `edgeStart`/`edgeEnd`/`target`, over `id`'s distinct dependents (first occurrence kept). */
  distinctStart(id: number): number {
    return this.load(id).distinct.start(id);
  }

  distinctEnd(id: number): number {
    return this.load(id).distinct.end(id);
  }

  distinctTarget(i: number): number {
    return this.distinct.target(i);
  }

  private load(id: number): this {
    if (this.loaded.get(id) === 1) return this;
    const found = this.deps.reverseBuildDependents(this.nameOf(id));
    this.edges.open(id);
    this.distinct.open(id);
    for (const dependent of found) {
      const to = this.idOf(dependent.source);
      this.edges.add(to, engineCopy(dependent.buildRequire));
      if (this.seenBy.get(to) !== id + 1) {
        this.seenBy.set(to, id + 1);
        this.distinct.add(to);
      }
    }
    this.edges.close(id);
    this.distinct.close(id);
    this.loaded.set(id, 1);
    return this;
  }
}

/**
 * Edge lists of many sources in shared vectors: a source's edges are added in one go (`open`, `add`…,
 * `close`), so they are a contiguous range; with `labelled`, each edge keeps a label.
 */
class EdgeArena {
  private readonly targets = new U32Vec(4096);
  private readonly labels: string[] = [];
  private readonly starts = new U32Vec(1024);
  private readonly ends = new U32Vec(1024);

  constructor(private readonly labelled: boolean) {}

  open(id: number): void {
    while (this.starts.length <= id) {
      this.starts.push(0);
      this.ends.push(0);
    }
    this.starts.set(id, this.targets.length);
  }

  add(target: number, label = ''): void {
    this.targets.push(target);
    if (this.labelled) this.labels.push(label);
  }

  close(id: number): void {
    this.ends.set(id, this.targets.length);
  }

  start(id: number): number {
    return this.starts.get(id);
  }

  end(id: number): number {
    return this.ends.get(id);
  }

  target(edge: number): number {
    return this.targets.get(edge);
  }

  label(edge: number): string {
    return this.labels[edge] ?? '';
  }
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

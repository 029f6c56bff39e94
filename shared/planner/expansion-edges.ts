import { U32Vec, groupBy, rowOf } from '../deps/columns';
import type { Csr } from '../deps/columns';
import type { Closure } from './closure';

/**
 * The edges along which a closure's changes travel, by the dependent they reach: `from → to` where `to` is a
 * dependent and `from` either carried a transitive change on (`isDeep`) or is a `direct` root (one hop of its
 * own). Built once, O(edges of the expanded components); read backwards by `rootsReaching` and `reasonCountOf`.
 */
export class ExpansionEdges {
  private constructor(
    private readonly froms: Uint32Array,
    private readonly edges: Uint32Array,
    private readonly byTarget: Csr,
  ) {}

  static of(closure: Closure): ExpansionEdges {
    const graph = closure.graph;
    const froms = new U32Vec(1024);
    const edges = new U32Vec(1024);
    const targets = new U32Vec(1024);
    const expanders = new Set<number>();
    for (const root of closure.roots) if (root.rebuild !== 'local') expanders.add(root.id);
    for (const id of closure.ids) if (closure.isDeep(id)) expanders.add(id);
    for (const from of expanders) {
      const end = graph.edgeEnd(from);
      for (let edge = graph.edgeStart(from); edge < end; edge++) {
        const to = graph.target(edge);
        if (to === from || !closure.isReached(to)) continue;
        froms.push(from);
        edges.push(edge);
        targets.push(to);
      }
    }
    return new ExpansionEdges(
      froms.view(),
      edges.view(),
      groupBy(targets.view(), graph.size, () => true),
    );
  }

  /** Calls `visit(from, edge)` for each edge into `to`, in the order the walk listed them. */
  into(to: number, visit: (from: number, edge: number) => void): void {
    for (const k of rowOf(this.byTarget, to)) visit(this.froms[k] as number, this.edges[k] as number);
  }
}

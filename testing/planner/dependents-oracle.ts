import { U32Vec } from '../../shared/deps/columns';
import { LeavingPaths } from '../../shared/planner/leaving-paths';
import type { ReverseGraph } from '../../shared/planner/reverse-graph';
import type { Hop, PlannerComponent, RebuildPolicy } from '../../shared/planner/types';

export type { Hop } from '../../shared/planner/types';

/**
 * The dependents found, in breadth-first order, each with its path: `paths[group[i]]` belongs to `ids[i]`.
 * Dependents reached from the same component through the same BuildRequire have the same path, and share
 * one array (a root package's thousands of dependents have a few hundred distinct paths).
 */
export interface Dependents {
  readonly ids: Uint32Array;
  readonly group: Uint32Array;
  /** Hops from the changed component; a path shares its hop objects with the paths through the same parent. */
  readonly paths: readonly (readonly Hop[])[];
}

const UNSEEN = 0;
const TAKEN = 1;
const OUTSIDE = 2;

/**
 * The planner's walk as a definition, for tests: `closureOf` (shared/planner/closure.ts) walks from every
 * changed component at once, and the tests compare it with this, one walk per component. The components to rebuild because `source` changed, each with the shortest BuildRequire path from
 * `source` (breadth first, so the path is deterministic given the view's order): none for `local`, the
 * direct reverse build dependents for `direct`, all of them transitively for `transitive`. Only components
 * of the model (`componentOf`) count; `source` itself never does. Walks the graph's ids and makes one hop
 * and one path per distinct (component, BuildRequire) it leaves through.
 */
export function dependentsOf(
  source: number,
  policy: RebuildPolicy,
  graph: ReverseGraph,
  componentOf: (id: number) => PlannerComponent | undefined,
): Dependents {
  const ids = new U32Vec(256);
  const group = new U32Vec(256);
  const paths: (readonly Hop[])[] = [];
  if (policy === 'local') return { ids: ids.view(), group: group.view(), paths };
  let mark = new Uint8Array(Math.max(1024, graph.size * 2));
  const markOf = (id: number): number => {
    if (id >= mark.length) {
      const grown = new Uint8Array(Math.max(id + 1, mark.length * 2));
      grown.set(mark);
      mark = grown;
    }
    return mark[id] as number;
  };
  markOf(source);
  mark[source] = TAKEN;
  const leaving = new LeavingPaths();
  // The source, then `ids` in order, are expanded: the queue is the found list itself.
  const expandUpTo = policy === 'transitive' ? Number.POSITIVE_INFINITY : 0;
  for (let i = -1; i < ids.length && i < expandUpTo; i++) {
    const from = i < 0 ? source : ids.get(i);
    const fromName = graph.nameOf(from);
    const pathHere: readonly Hop[] = i < 0 ? [] : (paths[group.get(i)] as readonly Hop[]);
    leaving.reset();
    const end = graph.edgeEnd(from);
    for (let edge = graph.edgeStart(from); edge < end; edge++) {
      const to = graph.target(edge);
      if (markOf(to) !== UNSEEN) continue;
      if (componentOf(to) === undefined) {
        mark[to] = OUTSIDE;
        continue;
      }
      mark[to] = TAKEN;
      const buildRequire = graph.buildRequireAt(edge);
      let path = leaving.find(buildRequire);
      if (path < 0) {
        path = paths.length;
        leaving.add(buildRequire, path);
        // Sized exactly (a spread leaves spare room): each path lives as long as the plan.
        paths.push(pathHere.concat({ from: fromName, buildRequire }));
      }
      ids.push(to);
      group.push(path);
    }
  }
  return { ids: ids.view(), group: group.view(), paths };
}

import type { Closure, RootLabel } from './closure';
import type { ExpansionEdges } from './expansion-edges';
import type { Hop, Reason } from './types';

/**
 * How many reasons a dependent keeps from the changed components that reach it (its own events' reasons are
 * all kept). Small because each kept reason costs: the walk expands a dependent once per kept root, a
 * build request carries every kept reason with its path (a Service Bus message holds 256 KB, and a path can
 * be twenty hops), the wave gate reads the build of every `from` on the kept paths, and a plan item row keeps
 * 200. Three show a release engineer that an item has several causes and one path from each; without a bound
 * a fresh burst of 2,000 updates gave 7,426 items 4.9 million reasons (one per message per dependent, each with
 * its path), and a fresh mass rebuild did not fit in memory. The count the bound drops is in `reasonCount`.
 */
export const TRANSITIVE_REASONS_KEPT = 3;

/** What a root adds to a dependent's reasons: its events' reasons, given a path from it. */
export interface RootCauses {
  readonly causes: readonly Reason[];
  readonly changedProvides?: readonly string[];
}

/**
 * The reasons of a dependent from its kept labels: by root order (the order the roots were given), each
 * root's events with its path, at most `TRANSITIVE_REASONS_KEPT` in all. Dependents reached along the same
 * path share the reason objects (a root package's thousands of dependents have a few hundred paths).
 */
export class TransitiveReasons {
  private readonly byPath = new Map<readonly Hop[], readonly Reason[]>();

  constructor(private readonly roots: readonly RootCauses[]) {}

  of(labels: readonly RootLabel[]): readonly Reason[] {
    const sorted = labels.length > 1 ? [...labels].sort((a, b) => a.root - b.root) : labels;
    const reasons: Reason[] = [];
    for (const label of sorted) {
      const alongPath = this.along(label);
      if (sorted.length === 1 && alongPath.length <= TRANSITIVE_REASONS_KEPT) return alongPath;
      for (const reason of alongPath) {
        if (reasons.length === TRANSITIVE_REASONS_KEPT) return reasons;
        reasons.push(reason);
      }
    }
    return reasons;
  }

  /** The reasons of `label`'s root along its path, made once per path. */
  along(label: RootLabel): readonly Reason[] {
    let reasons = this.byPath.get(label.path);
    if (!reasons) {
      const { causes, changedProvides } = this.roots[label.root] as RootCauses;
      reasons = causes.map((cause): Reason => ({ ...cause, changedProvides, path: label.path }));
      this.byPath.set(label.path, reasons);
    }
    return reasons;
  }
}

/**
 * The roots known to reach dependent `id`: its kept labels, and through each expansion edge into it, the
 * root behind the edge (a root expanding itself) and the kept labels of a component that carried a change
 * on, when their root's change goes further than one hop. `id` itself is left out (a root is no dependent of
 * its own change). A lower bound: a root dropped further up (at a component whose labels were full) is not
 * seen here. O(kept labels × edges into `id`).
 */
export function rootsKnownToReach(closure: Closure, expansion: ExpansionEdges, id: number): Set<number> {
  const rootIds = closure.roots;
  const known = new Set<number>();
  const add = (root: number): void => {
    if ((rootIds[root]?.id ?? -1) !== id) known.add(root);
  };
  for (const label of closure.labelsOf(id)) add(label.root);
  const rootOf = rootIndexOf(closure);
  expansion.into(id, (from) => {
    const own = rootOf.get(from);
    if (own !== undefined && rootIds[own]?.rebuild !== 'local') add(own);
    if (!closure.isDeep(from)) return;
    for (const label of closure.labelsOf(from))
      if (rootIds[label.root]?.rebuild === 'transitive') add(label.root);
  });
  return known;
}

const rootIndexes = new WeakMap<Closure, Map<number, number>>();

/** Graph id → root index, once per closure. */
function rootIndexOf(closure: Closure): Map<number, number> {
  let map = rootIndexes.get(closure);
  if (!map) {
    const made = new Map<number, number>();
    closure.roots.forEach((root, index) => made.set(root.id, index));
    rootIndexes.set(closure, made);
    map = made;
  }
  return map;
}

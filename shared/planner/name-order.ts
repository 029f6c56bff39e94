import type { ReverseGraph } from './reverse-graph';

/**
 * The two orders the planner sorts names in: `codeUnit` (`Array.prototype.sort`, the order of wave ids and
 * cycle breaking) and `locale` (`localeCompare`, the order of the plan's items).
 */
export type NameOrder = 'codeUnit' | 'locale';

const collator = new Intl.Collator();

/** `a.localeCompare(b)`: a collator with the default locale and options is the same order, set up once. */
export const compareLocale: (a: string, b: string) => number = collator.compare;

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sets at least this large are sorted by memoized ranks: sorting 25,000 shuffled names costs tens of
 * milliseconds per plan, comparing two integers nothing. Smaller sets compare names, so a plan of a few
 * items never waits for the ranks of the whole graph.
 */
export const RANKED_FROM = 512;

/** `rank[id]` is the id's position by name; `byRank[position]` the id there. */
interface Ranking {
  readonly rank: Int32Array;
  readonly byRank: Int32Array;
}

interface Ranks {
  size: number;
  codeUnit?: Ranking;
  locale?: Ranking;
}

const memo = new WeakMap<ReverseGraph, Ranks>();

/** Each id's position among all the graph's ids by name in `order`; recomputed once the graph has grown. */
export function nameRanks(graph: ReverseGraph, order: NameOrder): Ranking {
  let ranks = memo.get(graph);
  if (!ranks || ranks.size !== graph.size) {
    ranks = { size: graph.size };
    memo.set(graph, ranks);
  }
  const known = ranks[order];
  if (known) return known;
  const compare = order === 'locale' ? compareLocale : compareCodeUnits;
  const ids = Array.from({ length: graph.size }, (_, id) => id);
  ids.sort((a, b) => compare(graph.nameOf(a), graph.nameOf(b)));
  const rank = new Int32Array(graph.size);
  for (let position = 0; position < ids.length; position++) rank[ids[position] as number] = position;
  const ranking = { rank, byRank: Int32Array.from(ids) };
  ranks[order] = ranking;
  return ranking;
}

/**
 * `ids` (distinct, all of `graph`) sorted by name in `order`: a large set by one pass over the ranks (no
 * comparisons), a small one by comparing names.
 */
export function sortIdsByName(graph: ReverseGraph, order: NameOrder, ids: ArrayLike<number>): Int32Array {
  if (ids.length < RANKED_FROM) return Int32Array.from(ids).sort(idComparator(graph, order, ids.length));
  const { rank, byRank } = nameRanks(graph, order);
  const present = new Uint8Array(byRank.length);
  for (let i = 0; i < ids.length; i++) present[rank[ids[i] as number] as number] = 1;
  const sorted = new Int32Array(ids.length);
  let next = 0;
  for (let position = 0; position < present.length; position++)
    if (present[position]) sorted[next++] = byRank[position] as number;
  return sorted.subarray(0, next);
}

/** A comparator of ids by name in `order`, for a set of `count` ids (see `RANKED_FROM`). */
export function idComparator(
  graph: ReverseGraph,
  order: NameOrder,
  count: number,
): (a: number, b: number) => number {
  if (count >= RANKED_FROM) {
    const { rank } = nameRanks(graph, order);
    return (a, b) => (rank[a] as number) - (rank[b] as number);
  }
  const compare = order === 'locale' ? compareLocale : compareCodeUnits;
  return (a, b) => compare(graph.nameOf(a), graph.nameOf(b));
}

/**
 * `ids` by an integer key, ascending, in their given order among equal keys (a stable sort). The keys here
 * are few (three priorities, a few dozen waves), so this is a counting sort: one pass to count each key, one
 * to place each id, no comparisons per id and no JavaScript array as large as the plan.
 */
export function stableByKey(ids: ArrayLike<number>, keyOf: (id: number) => number): Uint32Array {
  const keys = new Int32Array(ids.length);
  const counts = new Map<number, number>();
  for (let i = 0; i < ids.length; i++) {
    const key = keyOf(ids[i] as number);
    keys[i] = key;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  // Each key's first position: the counts of the smaller keys summed.
  const next = new Map<number, number>();
  let position = 0;
  for (const key of [...counts.keys()].sort((a, b) => a - b)) {
    next.set(key, position);
    position += counts.get(key) as number;
  }
  const out = new Uint32Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const key = keys[i] as number;
    const at = next.get(key) as number;
    out[at] = ids[i] as number;
    next.set(key, at + 1);
  }
  return out;
}

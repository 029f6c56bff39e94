import type { CatchUpRow } from './window-rows';

/**
 * The rows whose id is neither in `handedOver` (ids this run already gave the sink) nor earlier in `rows`,
 * keeping their order. Only the first row of an id stays: the sink dedupes by id anyway, so a second copy
 * could only come back as a duplicate. Across runs the sink's own id ledger does the same job for the
 * overlap that every run re-reads.
 */
export function freshRows(rows: readonly CatchUpRow[], handedOver: ReadonlySet<string>): CatchUpRow[] {
  const seen = new Set<string>();
  const fresh: CatchUpRow[] = [];
  for (const row of rows) {
    if (handedOver.has(row.id) || seen.has(row.id)) continue;
    seen.add(row.id);
    fresh.push(row);
  }
  return fresh;
}

/** `items` cut into consecutive batches of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += size) out.push(items.slice(start, start + size));
  return out;
}

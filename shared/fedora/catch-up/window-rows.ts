/**
 * One row of a datagrepper `/v2/search` page: the message id, its `sent-at` in epoch seconds when the row
 * carries a readable one, and the item exactly as datagrepper sent it (what the ingest sink receives).
 */
export interface CatchUpRow {
  readonly id: string;
  readonly sentAt: number | undefined;
  readonly raw: unknown;
}

/**
 * The rows of one window gathered over any number of page reads. datagrepper pages with OFFSET over a sort
 * key of whole seconds, so while rows land in a busy second a page can repeat rows of the previous page or
 * skip some; the only evidence of a complete read is that the distinct rows add up to the `total` that
 * datagrepper counted (a `COUNT(*)` over the same filter).
 *
 * Rows are told apart by (id, sent-at), datagrepper's own uniqueness: the same id stored under two timestamps
 * is two rows of `total`, so counting ids alone could never add up. Dedupe by id comes later (`freshRows`).
 */
export class WindowRows {
  private readonly byKey = new Map<string, CatchUpRow>();
  private largestTotal = 0;

  /** Adds one page; `total` is that page's count (the largest one seen wins: rows only ever get added). */
  addPage(rows: readonly CatchUpRow[], total: number): void {
    this.largestTotal = Math.max(this.largestTotal, total);
    for (const row of rows) {
      const key = `${row.id}\u0000${row.sentAt ?? ''}`;
      if (!this.byKey.has(key)) this.byKey.set(key, row);
    }
  }

  get distinct(): number {
    return this.byKey.size;
  }

  get total(): number {
    return this.largestTotal;
  }

  /** Every row datagrepper counted has been seen at least once. */
  isComplete(): boolean {
    return this.byKey.size >= this.largestTotal;
  }

  /** The rows in time order (`sent-at`, then id); rows without a readable `sent-at` come last. */
  ordered(): CatchUpRow[] {
    return [...this.byKey.values()].sort(compareRows);
  }
}

export function compareRows(a: CatchUpRow, b: CatchUpRow): number {
  const at = a.sentAt ?? Number.POSITIVE_INFINITY;
  const bt = b.sentAt ?? Number.POSITIVE_INFINITY;
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

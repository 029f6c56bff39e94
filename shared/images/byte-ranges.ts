/**
 * Half-open byte ranges `[start, end)` and the set operations the page blob upload plans with: what the file
 * holds (its non-zero sectors), what the blob already has (its page ranges), what is left to send, cut into
 * requests the service accepts. Every function returns ranges sorted, non-empty and not touching each other.
 */
export interface ByteRange {
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export const rangeLength = (range: ByteRange): number => range.end - range.start;

export const totalLength = (ranges: readonly ByteRange[]): number =>
  ranges.reduce((sum, range) => sum + rangeLength(range), 0);

/** Sorts and joins overlapping or adjacent ranges; empty ranges are dropped. */
export function mergeRanges(ranges: readonly ByteRange[]): ByteRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const merged: ByteRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end)
      merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, range.end) };
    else merged.push({ start: range.start, end: range.end });
  }
  return merged;
}

/** The parts of `ranges` that `remove` does not cover. */
export function subtractRanges(ranges: readonly ByteRange[], remove: readonly ByteRange[]): ByteRange[] {
  const holes = mergeRanges(remove);
  const left: ByteRange[] = [];
  for (const range of mergeRanges(ranges)) {
    let start = range.start;
    for (const hole of holes) {
      if (hole.end <= start) continue;
      if (hole.start >= range.end) break;
      if (hole.start > start) left.push({ start, end: hole.start });
      start = Math.max(start, hole.end);
      if (start >= range.end) break;
    }
    if (start < range.end) left.push({ start, end: range.end });
  }
  return left;
}

/** The parts of `ranges` inside `within`. */
export function intersectRanges(ranges: readonly ByteRange[], within: ByteRange): ByteRange[] {
  return mergeRanges(ranges)
    .map((r) => ({ start: Math.max(r.start, within.start), end: Math.min(r.end, within.end) }))
    .filter((r) => r.end > r.start);
}

/** Cuts every range into consecutive pieces of at most `maxLength` bytes (the last piece of each may be shorter). */
export function splitRanges(ranges: readonly ByteRange[], maxLength: number): ByteRange[] {
  if (!Number.isInteger(maxLength) || maxLength <= 0)
    throw new RangeError(`maxLength must be a positive integer: ${maxLength}`);
  const pieces: ByteRange[] = [];
  for (const range of mergeRanges(ranges)) {
    for (let start = range.start; start < range.end; start += maxLength) {
      pieces.push({ start, end: Math.min(range.end, start + maxLength) });
    }
  }
  return pieces;
}

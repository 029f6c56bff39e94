import { round } from '../../testing/measure';

/** p50 / p95 (nearest rank), min and max of a sample, in the sample's unit, rounded to 0.1. */
export interface Spread {
  readonly p50: number;
  readonly p95: number;
  readonly min: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return {
    p50: round(rank(50), 1),
    p95: round(rank(95), 1),
    min: round(sorted[0] ?? NaN, 1),
    max: round(sorted[sorted.length - 1] ?? NaN, 1),
  };
}

/** The median (the mean of the two middle values of an even-sized sample); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

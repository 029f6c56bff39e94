import { describe, expect, test } from 'vitest';
import { PipelineError } from '../../../../shared/errors';
import {
  describeWindow,
  spanOf,
  splitWindow,
  tileWindows,
  timeWindow,
} from '../../../../shared/fedora/catch-up';

describe('time windows', () => {
  test('whole seconds, inclusive on both ends', () => {
    expect(spanOf(timeWindow(100, 100))).toBe(1);
    expect(spanOf(timeWindow(100, 699))).toBe(600);
    expect(describeWindow(timeWindow(1_763_388_000, 1_763_388_599))).toBe(
      '2025-11-17T14:00:00Z..2025-11-17T14:09:59Z',
    );
  });

  test.each([
    [10, 9],
    [1.5, 3],
    [-1, 3],
    [Number.NaN, 3],
  ])('refuses %s..%s', (from, to) => {
    expect(() => timeWindow(from, to)).toThrow(PipelineError);
  });

  test('tiling: the last window is cut short', () => {
    expect(tileWindows(0, 24, 10)).toEqual([
      { from: 0, to: 9 },
      { from: 10, to: 19 },
      { from: 20, to: 24 },
    ]);
    expect(tileWindows(5, 4, 10)).toEqual([]);
  });
});

describe('splitWindow', () => {
  const window = timeWindow(1_000, 1_599);

  test('cut into parts expected to hold about half of maxRows each', () => {
    const parts = splitWindow(window, 5_000, 2_000); // 5 parts of 120 s
    expect(parts).toHaveLength(5);
    expect(parts[0]).toEqual({ from: 1_000, to: 1_119 });
    expect(parts.at(-1)).toEqual({ from: 1_480, to: 1_599 });
  });

  test('always at least two parts, never smaller than a second, covering the window exactly', () => {
    expect(splitWindow(window, 2_001, 2_000)).toHaveLength(3);
    expect(splitWindow(timeWindow(7, 8), 1e6, 2_000)).toEqual([
      { from: 7, to: 7 },
      { from: 8, to: 8 },
    ]);
    const parts = splitWindow(timeWindow(0, 6), 9_000, 2_000);
    expect(parts.flatMap((p) => Array.from({ length: spanOf(p) }, (_, i) => p.from + i))).toEqual([
      0, 1, 2, 3, 4, 5, 6,
    ]);
  });

  test('a one-second window cannot be cut', () => {
    expect(splitWindow(timeWindow(9, 9), 50_000, 2_000)).toEqual([{ from: 9, to: 9 }]);
  });
});

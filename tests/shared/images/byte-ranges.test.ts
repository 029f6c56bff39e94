import { describe, expect, test } from 'vitest';
import {
  intersectRanges,
  mergeRanges,
  splitRanges,
  subtractRanges,
  totalLength,
} from '../../../shared/images/byte-ranges';
import { MAX_PAGE_WRITE_BYTES, planPageUpload } from '../../../shared/images/page-upload-plan';
import { mulberry32 } from '../../../testing/seeded-random';

const r = (start: number, end: number) => ({ start, end });
const MiB = 1024 * 1024;

describe('byte ranges', () => {
  test('merge sorts, joins overlapping and adjacent ranges, drops empty ones', () => {
    expect(mergeRanges([r(10, 20), r(0, 5), r(5, 8), r(15, 30), r(40, 40), r(31, 32)])).toEqual([
      r(0, 8),
      r(10, 30),
      r(31, 32),
    ]);
  });

  test('subtract leaves what the holes do not cover', () => {
    expect(subtractRanges([r(0, 100)], [r(10, 20), r(15, 30), r(90, 120)])).toEqual([r(0, 10), r(30, 90)]);
    expect(subtractRanges([r(0, 10), r(20, 30)], [r(0, 30)])).toEqual([]);
    expect(subtractRanges([r(0, 10)], [])).toEqual([r(0, 10)]);
  });

  test('subtract agrees with a byte-by-byte model on random sets', () => {
    const random = mulberry32(7);
    const randomRanges = () =>
      Array.from({ length: 6 }, () => {
        const start = Math.floor(random() * 200);
        return r(start, start + Math.floor(random() * 40));
      });
    const bytesOf = (ranges: { start: number; end: number }[]) =>
      new Set(ranges.flatMap(({ start, end }) => Array.from({ length: end - start }, (_, i) => start + i)));
    for (let round = 0; round < 200; round += 1) {
      const [a, b] = [randomRanges(), randomRanges()];
      const removed = bytesOf(b);
      const expected = [...bytesOf(a)].filter((byte) => !removed.has(byte)).sort((x, y) => x - y);
      const got = subtractRanges(a, b);
      expect([...bytesOf(got)].sort((x, y) => x - y)).toEqual(expected);
      expect(mergeRanges(got)).toEqual(got);
    }
  });

  test('intersect clips to the window', () => {
    expect(intersectRanges([r(0, 10), r(20, 30)], r(5, 25))).toEqual([r(5, 10), r(20, 25)]);
  });

  test('split cuts each range into pieces of at most the limit', () => {
    expect(splitRanges([r(0, 10), r(20, 23)], 4)).toEqual([r(0, 4), r(4, 8), r(8, 10), r(20, 23)]);
    expect(() => splitRanges([r(0, 1)], 0)).toThrow(RangeError);
  });
});

describe('the page upload plan', () => {
  const size = 64 * MiB + 512;
  const data = [r(0, 512), r(MiB, MiB + 9 * MiB + 1024), r(size - 512, size)];

  test('sends the data before the footer in aligned writes of at most 4 MiB, the footer apart', () => {
    const plan = planPageUpload(size, data);
    expect(plan.footer).toEqual(r(size - 512, size));
    expect(plan.writes).toEqual([
      r(0, 512),
      r(MiB, 5 * MiB),
      r(5 * MiB, 9 * MiB),
      r(9 * MiB, 10 * MiB + 1024),
    ]);
    for (const write of plan.writes) {
      expect(write.end - write.start).toBeLessThanOrEqual(MAX_PAGE_WRITE_BYTES);
      expect(write.start % 512).toBe(0);
      expect(write.end % 512).toBe(0);
    }
    expect(plan.dataBytes).toBe(512 + 9 * MiB + 1024);
    expect(plan.skippedRanges).toBe(0);
  });

  test('skips what the blob holds whole and sends only the missing part of a piece it holds in part', () => {
    const written = [r(0, 512), r(MiB, 5 * MiB), r(5 * MiB, 6 * MiB)];
    const plan = planPageUpload(size, data, written);
    expect(plan.writes).toEqual([r(6 * MiB, 9 * MiB), r(9 * MiB, 10 * MiB + 1024)]);
    expect(plan.skippedRanges).toBe(2);
    expect(plan.skippedBytes).toBe(512 + 5 * MiB);
    expect(totalLength(plan.writes) + plan.skippedBytes).toBe(plan.dataBytes);
  });

  test('a footer already on the blob is still planned, last', () => {
    const plan = planPageUpload(size, data, [r(0, size)]);
    expect(plan.writes).toEqual([]);
    expect(plan.footer).toEqual(r(size - 512, size));
  });
});

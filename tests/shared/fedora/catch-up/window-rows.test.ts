import { describe, expect, test } from 'vitest';
import { batches, freshRows, WindowRows } from '../../../../shared/fedora/catch-up';
import type { CatchUpRow } from '../../../../shared/fedora/catch-up';

const row = (id: string, sentAt?: number): CatchUpRow => ({ id, sentAt, raw: { id, sentAt } });

describe('WindowRows: is the window read completely?', () => {
  test('pages that repeat a row do not make it complete; the missing row does', () => {
    const rows = new WindowRows();
    rows.addPage([row('a', 1), row('b', 1)], 4);
    rows.addPage([row('b', 1), row('c', 1)], 4); // page 2 repeats b: d was skipped
    expect(rows.distinct).toBe(3);
    expect(rows.isComplete()).toBe(false);
    rows.addPage([row('d', 1)], 4);
    expect(rows.isComplete()).toBe(true);
  });

  test('the largest total seen wins: rows that landed during the read must be seen too', () => {
    const rows = new WindowRows();
    rows.addPage([row('a', 1), row('b', 1)], 2);
    rows.addPage([], 3);
    expect(rows.total).toBe(3);
    expect(rows.isComplete()).toBe(false);
  });

  test('rows are (id, sent-at): one id stored under two seconds is two rows of total', () => {
    const rows = new WindowRows();
    rows.addPage([row('a', 1), row('a', 2)], 2);
    expect(rows.isComplete()).toBe(true);
    expect(rows.ordered().map((r) => r.sentAt)).toEqual([1, 2]);
  });

  test('an empty window is complete', () => {
    const rows = new WindowRows();
    rows.addPage([], 0);
    expect(rows.isComplete()).toBe(true);
  });

  test('ordered by sent-at, then id; rows without sent-at last; first copy kept', () => {
    const rows = new WindowRows();
    const firstB = row('b', 5);
    rows.addPage([row('c'), firstB, row('a', 5), row('z', 3)], 4);
    rows.addPage([{ ...row('b', 5), raw: 'second copy' }], 4);
    const ordered = rows.ordered();
    expect(ordered.map((r) => r.id)).toEqual(['z', 'a', 'b', 'c']);
    expect(ordered[2]).toBe(firstB);
  });
});

describe('freshRows and batches', () => {
  test('drops ids handed over earlier in the run and repeats of an id, keeping order', () => {
    const rows = [row('a', 1), row('b', 1), row('a', 2), row('c', 3)];
    expect(freshRows(rows, new Set(['b'])).map((r) => `${r.id}@${r.sentAt}`)).toEqual(['a@1', 'c@3']);
    expect(freshRows([], new Set())).toEqual([]);
  });

  test('batches of at most n, in order', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
  });
});

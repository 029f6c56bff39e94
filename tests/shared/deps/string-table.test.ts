import { describe, expect, it } from 'vitest';
import { StringTable } from '../../../shared/deps/string-table';

describe('StringTable', () => {
  it('names each distinct string once, "" first, and gives it back by id', () => {
    const table = new StringTable();
    expect(table.lookup('')).toBe(0);
    const ids = ['libc', 'lib', 'libc.so.6', 'lib', 'libc'].map((s) => table.intern(s));
    expect(ids).toEqual([1, 2, 3, 2, 1]);
    expect([0, 1, 2, 3].map((id) => table.at(id))).toEqual(['', 'libc', 'lib', 'libc.so.6']);
    expect(table.lookup('li')).toBeUndefined();
    expect(table.lookup('libc.so')).toBeUndefined();
    expect(table.size).toBe(4);
  });

  it('keeps ids and strings across packed chunks and table growth, unicode included', () => {
    const table = new StringTable();
    const values = Array.from({ length: 10_000 }, (_, i) =>
      i % 7 === 0 ? `ünï-${i}` : `pkg${i.toString(36)}`,
    );
    const ids = values.map((v) => table.intern(v));
    expect(new Set(ids).size).toBe(values.length);
    values.forEach((v, i) => {
      expect(table.at(ids[i] as number)).toBe(v);
      expect(table.lookup(v)).toBe(ids[i]);
      expect(table.intern(v)).toBe(ids[i]);
    });
    expect(table.toArray()).toEqual(['', ...values]);
    expect(new StringTable(table.toArray()).toArray()).toEqual(table.toArray());
    expect(table.at(-1)).toBe('');
    expect(table.at(table.size)).toBe('');
  });
});

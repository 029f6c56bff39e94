import { describe, expect, it } from 'vitest';
import { CUT_MARKER, cutDeeperThan, pathDeeperThan } from '../../../shared/fedora/nesting-depth';

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { next: value } : [value];
  return value;
}

describe('nesting depth', () => {
  it('finds the path of the first value nested deeper than the limit, at any depth, without recursion', () => {
    expect(pathDeeperThan({ a: [1, { b: 2 }] }, 3)).toBeUndefined();
    expect(pathDeeperThan({ a: [1, { b: { c: 1 } }] }, 3)).toEqual(['a', 1, 'b']);
    expect(pathDeeperThan(nested(100_000), 64)).toHaveLength(64);
    expect(pathDeeperThan('text', 1)).toBeUndefined();
  });

  it('copies a message whole when it nests less, and cuts what nests deeper, at any depth', () => {
    const message = { id: 'm', body: { builds: [{ nvr: 'bash-5.2-1.fc43' }], n: null, flag: false } };
    expect(cutDeeperThan(message, 64)).toEqual(message);
    expect(cutDeeperThan({ a: { b: { c: 1 } }, d: [1, [2]] }, 2)).toEqual({
      a: { b: CUT_MARKER },
      d: [1, CUT_MARKER],
    });
    const cut = cutDeeperThan(nested(100_000), 64);
    expect(() => JSON.stringify(cut)).not.toThrow();
    expect(pathDeeperThan(cut, 64)).toBeUndefined();
    expect(JSON.stringify(cut)).toContain(CUT_MARKER);
  });

  it('ends on a cyclic object, cutting the cycle at the limit', () => {
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    const cut = cutDeeperThan(loop, 3) as { self: { self: { self: unknown } } };
    expect(cut.self.self.self).toBe(CUT_MARKER);
  });
});

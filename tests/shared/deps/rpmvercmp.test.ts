import { describe, expect, it } from 'vitest';
import { compareEvr, rangesOverlap } from '../../../shared/deps/evr';
import { rpmvercmp } from '../../../shared/deps/rpmvercmp';

describe('rpmvercmp', () => {
  // [a, b, expected] — cases from rpm's own test suite semantics.
  const cases: [string, string, number][] = [
    ['1.0', '1.0', 0],
    ['1.0', '2.0', -1],
    ['2.0.1', '2.0', 1],
    ['2.0.1a', '2.0.1', 1],
    ['5.5p1', '5.5p2', -1],
    ['5.5p10', '5.5p1', 1],
    ['10xyz', '10.1xyz', -1],
    ['xyz10', 'xyz10.1', -1],
    ['1.0010', '1.9', 1],
    ['1.05', '1.5', 0],
    ['1.0', '1', 1],
    ['2.0', '2_0', 0],
    ['a', 'b', -1],
    ['1', 'a', 1],
    ['a', '1', -1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~rc1', '1.0~rc2', -1],
    ['1.0~rc1~git', '1.0~rc1', -1],
    ['1.0^', '1.0', 1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['1.0^git1', '1.0^git2', -1],
    ['1.0^git1', '1.01', -1],
    ['1.0^20160101', '1.0.1', -1],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0^git1~pre', '1.0^git1', -1],
    ['12345678901234567890', '12345678901234567889', 1],
  ];
  it.each(cases)('%s vs %s → %i', (a, b, want) => {
    expect(rpmvercmp(a, b)).toBe(want);
    expect(rpmvercmp(b, a)).toBe(want === 0 ? 0 : -want);
  });
});

describe('EVR', () => {
  it('compares epoch first, then version, then release when both have one', () => {
    expect(compareEvr({ epoch: '1', ver: '1.0' }, { epoch: '0', ver: '9.9' })).toBe(1);
    expect(compareEvr({ ver: '1.0', rel: '2' }, { epoch: '0', ver: '1.0', rel: '10' })).toBe(-1);
    expect(compareEvr({ ver: '1.0' }, { ver: '1.0', rel: '5' })).toBe(0);
  });

  it('matches a provide against a requirement range like rpm', () => {
    const prov = { sense: 8, evr: { epoch: '0', ver: '3.0', rel: '2.fc41' } };
    expect(rangesOverlap(prov, { flags: 'GE', evr: { ver: '3.0' } })).toBe(true);
    expect(rangesOverlap(prov, { flags: 'GT', evr: { ver: '3.0' } })).toBe(false);
    expect(rangesOverlap(prov, { flags: 'LT', evr: { ver: '3.0', rel: '3' } })).toBe(true);
    expect(rangesOverlap(prov, { flags: 'EQ', evr: { epoch: '1', ver: '1.0' } })).toBe(false);
    expect(rangesOverlap(prov, { flags: 'LE', evr: { ver: '2.9' } })).toBe(false);
    // an unversioned provide or requirement matches anything
    expect(rangesOverlap(undefined, { flags: 'EQ', evr: { ver: '1' } })).toBe(true);
    expect(rangesOverlap(prov, undefined)).toBe(true);
    // a GE provide overlaps an LT requirement above it
    expect(rangesOverlap({ sense: 12, evr: { ver: '2' } }, { flags: 'LT', evr: { ver: '3' } })).toBe(true);
    expect(rangesOverlap({ sense: 12, evr: { ver: '4' } }, { flags: 'LT', evr: { ver: '3' } })).toBe(false);
  });
});

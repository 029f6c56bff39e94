import { describe, expect, test } from 'vitest';
import { applyRetention } from '../../../shared/publishing';

const p = (name: string, version: string, release = '1', epoch = 0, arch = 'x86_64') => ({
  name,
  epoch,
  version,
  release,
  arch,
  id: `${name}-${epoch}:${version}-${release}.${arch}`,
});
const ids = (list: { id: string }[]) => list.map((x) => x.id);

describe('retention', () => {
  test('keeps the newest build of each name by rpm version order (1.10 > 1.9), removes the rest', () => {
    const result = applyRetention([p('a', '1.9'), p('a', '1.10'), p('b', '2.0')]);
    expect(ids(result.kept)).toEqual(['a-0:1.10-1.x86_64', 'b-0:2.0-1.x86_64']);
    expect(ids(result.removed)).toEqual(['a-0:1.9-1.x86_64']);
  });

  test('the epoch wins over the version, and the release decides at equal versions', () => {
    expect(ids(applyRetention([p('a', '9.0'), p('a', '1.0', '1', 1)]).kept)).toEqual(['a-1:1.0-1.x86_64']);
    expect(ids(applyRetention([p('a', '1.0', '2.azl4'), p('a', '1.0', '10.azl4')]).kept)).toEqual([
      'a-0:1.0-10.azl4.x86_64',
    ]);
  });

  test('keep N keeps N EVRs, with every file of a kept EVR', () => {
    const list = [p('a', '1'), p('a', '2'), p('a', '3'), p('a', '3', '1', 0, 'noarch')];
    const result = applyRetention(list, 2);
    expect(ids(result.kept)).toEqual(['a-0:2-1.x86_64', 'a-0:3-1.x86_64', 'a-0:3-1.noarch']);
    expect(ids(result.removed)).toEqual(['a-0:1-1.x86_64']);
  });
});

import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { DepsIndex } from '../../../shared/deps/dep-index';
import type { BinaryPackageRecord } from '../../../shared/deps/records';

const bin = (
  name: string,
  src: string,
  provides: BinaryPackageRecord['provides'],
  files: string[] = [],
): BinaryPackageRecord => ({
  name,
  arch: 'x86_64',
  epoch: '0',
  version: '1.0',
  release: '1.fc41',
  sourceRpm: `${src}-1.0-1.fc41.src.rpm`,
  provides: [{ name, flags: 'EQ', epoch: '0', ver: '1.0', rel: '1.fc41' }, ...provides],
  files,
});
const src = (name: string, buildRequires: BinaryPackageRecord['provides']) => ({
  name,
  epoch: '0',
  version: '1.0',
  release: '1.fc41',
  buildRequires,
});

function smallIndex(): DepsIndex {
  const index = new DepsIndex();
  index.addBinary(bin('glibc', 'glibc', [{ name: 'libc.so.6()(64bit)' }]));
  index.addBinary(
    bin('glibc-devel', 'glibc', [{ name: 'glibc-devel(x86-64)', flags: 'EQ', epoch: '0', ver: '2.39' }]),
  );
  index.addBinary(
    bin('openssl-libs', 'openssl', [
      { name: 'libssl.so.3()(64bit)' },
      { name: 'openssl-abi', flags: 'EQ', epoch: '1', ver: '3.2' },
    ]),
  );
  index.addBinary(bin('perl-interpreter', 'perl', [], ['/usr/bin/perl']));
  index.addSource(src('glibc', [{ name: 'perl-interpreter' }]));
  index.addSource(src('openssl', [{ name: 'glibc-devel' }, { name: '/usr/bin/perl' }]));
  index.addSource(
    src('curl', [
      { name: 'openssl-abi', flags: 'GE', epoch: '1', ver: '3.0' },
      { name: 'glibc-devel(x86-64)' },
    ]),
  );
  index.addSource(src('old', [{ name: 'openssl-abi', flags: 'LT', epoch: '1', ver: '3.0' }]));
  return index;
}

describe('DepsIndex', () => {
  it('answers source/binary/provides queries', () => {
    const index = smallIndex();
    expect(index.sourceOfBinary('glibc-devel')).toBe('glibc');
    expect(index.sourceOfBinary('nope')).toBeUndefined();
    expect(index.binariesOfSource('glibc')).toEqual(['glibc', 'glibc-devel']);
    expect(index.whatProvides('/usr/bin/perl')).toEqual(['perl-interpreter']);
    expect(index.whatProvides('openssl-abi', { flags: 'GE', evr: { epoch: '1', ver: '3.1' } })).toEqual([
      'openssl-libs',
    ]);
    expect(index.whatProvides('openssl-abi', { flags: 'GE', evr: { epoch: '1', ver: '3.3' } })).toEqual([]);
    expect(index.buildRequiresOf('curl')).toEqual([
      { name: 'openssl-abi', flags: 'GE', epoch: '1', ver: '3.0' },
      { name: 'glibc-devel(x86-64)' },
    ]);
  });

  it('finds reverse build dependents through versions, files and cycles', () => {
    const index = smallIndex();
    expect(index.reverseBuildDependents('openssl')).toEqual(['curl']);
    expect(index.reverseBuildDependents('glibc')).toEqual(['curl', 'openssl']);
    expect(index.reverseBuildDependents('perl')).toEqual(['glibc', 'openssl']);
    expect(index.providesOf('openssl').map((p) => p.name)).toEqual([
      'openssl-libs',
      'libssl.so.3()(64bit)',
      'openssl-abi',
    ]);
    expect(index.providesOf('perl', { files: true }).filter((p) => p.file)).toHaveLength(1);
  });

  it('replaces a re-added package', () => {
    const index = smallIndex();
    index.addBinary(
      bin('openssl-libs', 'openssl', [{ name: 'openssl-abi', flags: 'EQ', epoch: '1', ver: '2.9' }]),
    );
    expect(index.reverseBuildDependents('openssl')).toEqual(['old']);
    index.addSource(src('old', []));
    expect(index.reverseBuildDependents('openssl')).toEqual([]);
  });

  it('keeps one row per name and arch: the same name on another arch is another package', () => {
    const index = new DepsIndex();
    index.addBinary(bin('zlib', 'zlib', [{ name: 'libz.so.1()(64bit)' }]));
    index.addBinary({ ...bin('zlib', 'zlib', [{ name: 'libz.so.1' }]), arch: 'i686' });
    expect(index.providesOf('zlib').map((p) => p.name)).toEqual(
      expect.arrayContaining(['libz.so.1()(64bit)', 'libz.so.1']),
    );
    index.addBinary(bin('zlib', 'zlib', [{ name: 'libz.so.2()(64bit)' }]));
    const names = index.providesOf('zlib').map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(['libz.so.2()(64bit)', 'libz.so.1']));
    expect(names).not.toContain('libz.so.1()(64bit)');
    // Deserialized, the rows are found by name and arch again: a re-added package still replaces its row.
    const copy = DepsIndex.deserialize(index.serialize());
    copy.addBinary(bin('zlib', 'zlib', [{ name: 'libz.so.3()(64bit)' }]));
    expect(copy.providesOf('zlib').map((p) => p.name)).not.toContain('libz.so.2()(64bit)');
  });

  it('refuses an index of more arches than it keys, naming the arch', () => {
    const index = new DepsIndex();
    const add = (n: number) => index.addBinary({ ...bin('p', 'p', []), arch: `arch${n}` });
    for (let n = 0; n < 128; n++) add(n);
    expect(() => add(128)).toThrow(
      expect.objectContaining({ code: 'deps.too-many-arches', context: { arch: 'arch128', limit: 128 } }),
    );
  });

  it('round-trips through serialize/deserialize', () => {
    const index = smallIndex();
    index.addBinary(bin('glibc', 'glibc', [{ name: 'libc.so.6()(64bit)' }, { name: 'rtld(GNU_HASH)' }]));
    const copy = DepsIndex.deserialize(index.serialize());
    for (const s of ['glibc', 'openssl', 'perl', 'curl', 'old']) {
      expect(copy.reverseBuildDependents(s)).toEqual(index.reverseBuildDependents(s));
      expect(copy.providesOf(s, { files: true })).toEqual(index.providesOf(s, { files: true }));
      expect(copy.buildRequiresOf(s)).toEqual(index.buildRequiresOf(s));
      expect(copy.binariesOfSource(s)).toEqual(index.binariesOfSource(s));
    }
    expect(copy.serialize().equals(index.serialize())).toBe(true);
    expect(() => DepsIndex.deserialize(Buffer.from('nope'))).toThrow(PipelineError);
  });
});

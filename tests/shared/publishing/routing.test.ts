import { describe, expect, test } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { packageHref, repositoriesFor, repositoriesOfPackage } from '../../../shared/publishing';
import { parseNevra } from '../../../shared/rpm';

const pkg = (nevra: string, fileName = `${nevra}.rpm`) => ({ nevra, fileName });

describe('repository routing', () => {
  test('a binary package goes to <channel>/<arch>', () => {
    expect(repositoriesOfPackage(pkg('curl-8.9.1-2.azl4.x86_64'), 'base')).toEqual(['base/x86_64']);
  });

  test('noarch goes to every arch the distro publishes', () => {
    expect(repositoriesOfPackage(pkg('docs-1-1.noarch'), 'sdk')).toEqual(['sdk/x86_64', 'sdk/aarch64']);
    expect(repositoriesOfPackage(pkg('docs-1-1.noarch'), 'sdk', ['riscv64'])).toEqual(['sdk/riscv64']);
  });

  test('-debuginfo and -debugsource go to <channel>/debuginfo/<arch>, source RPMs to <channel>/srpms', () => {
    expect(repositoriesOfPackage(pkg('curl-debuginfo-8.9.1-2.azl4.aarch64'), 'base')).toEqual([
      'base/debuginfo/aarch64',
    ]);
    expect(repositoriesOfPackage(pkg('curl-debugsource-8.9.1-2.azl4.x86_64'), 'base')).toEqual([
      'base/debuginfo/x86_64',
    ]);
    expect(repositoriesOfPackage(pkg('curl-8.9.1-2.azl4.src'), 'base')).toEqual(['base/srpms']);
  });

  test('repositoriesFor groups a build by repository, with the model channel or base', () => {
    const build = [
      pkg('curl-8.9.1-2.azl4.x86_64'),
      pkg('libcurl-devel-8.9.1-2.azl4.x86_64'),
      pkg('curl-docs-8.9.1-2.azl4.noarch'),
      pkg('curl-debuginfo-8.9.1-2.azl4.x86_64'),
      pkg('curl-8.9.1-2.azl4.src'),
    ];
    const channels: Record<string, string> = { 'libcurl-devel': 'sdk' };
    const routed = repositoriesFor(build, (name) => channels[name]);
    expect(routed.map((r) => [r.repository, r.packages.map((p) => parseNevra(p.nevra).name)])).toEqual([
      ['base/aarch64', ['curl-docs']],
      ['base/debuginfo/x86_64', ['curl-debuginfo']],
      ['base/srpms', ['curl']],
      ['base/x86_64', ['curl', 'curl-docs']],
      ['sdk/x86_64', ['libcurl-devel']],
    ]);
  });

  test('packages are stored under Packages/<first letter lower-cased>/<16 hex of their SHA-256>/', () => {
    const sha = 'ab'.repeat(32);
    expect(packageHref('NetworkManager-1.0-1.x86_64.rpm', sha)).toBe(
      'Packages/n/abababababababab/NetworkManager-1.0-1.x86_64.rpm',
    );
    // Two builds of one NEVRA never share a name.
    expect(packageHref('a-1-1.x86_64.rpm', 'cd'.repeat(32))).not.toBe(packageHref('a-1-1.x86_64.rpm', sha));
  });

  test('NEVRA parsing keeps dashes in the name and reads the epoch', () => {
    expect(parseNevra('perl-Foo-Bar-2:1.0-3.fc41.noarch')).toEqual({
      name: 'perl-Foo-Bar',
      epoch: 2,
      version: '1.0',
      release: '3.fc41',
      arch: 'noarch',
    });
    const error = (() => {
      try {
        parseNevra('nodashes');
      } catch (e) {
        return e;
      }
    })();
    expect(PipelineError.is(error, 'publish.bad-nevra')).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { loadDistroTree } from '../../../shared/distro/load';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

const fixture = fixturePath('azurelinux');

describe('loading the Azure Linux 4.0 fixture tree', () => {
  const tree = loadDistroTree(new FsDistroFiles(), fixture);
  const components = [...tree.components.values()];

  it('reaches exactly the numbers in SOURCE.md', () => {
    expect(tree.files).toHaveLength(54);
    expect(tree.components.size).toBe(7426);
    expect(components.filter((c) => (c.config.overlays?.length ?? 0) > 0)).toHaveLength(31);
    expect(components.reduce((n, c) => n + (c.config.overlays?.length ?? 0), 0)).toBe(123);
    expect(Object.keys(tree.componentGroups)).toEqual(['check-skip-initial-failures']);
    expect(tree.componentGroups['check-skip-initial-failures']?.components).toHaveLength(182);
  });

  it('gives each overlay type to exactly the components SOURCE.md lists for it', () => {
    const table = readFileSync(join(fixture, 'SOURCE.md'), 'utf8')
      .split('\n')
      .map((line) => /^\| `([a-z-]+)` \| (.+) \|$/.exec(line))
      .filter((match) => match !== null)
      .map((match) => [match[1], (match[2] ?? '').split(', ').sort()] as const);
    expect(table).toHaveLength(15);
    for (const [type, expected] of table) {
      const actual = components
        .filter((c) => c.config.overlays?.some((o) => o.type === type))
        .map((c) => c.name);
      expect(actual.sort(), type).toEqual(expected);
    }
  });

  it('does not reach the files outside the include tree', () => {
    expect(tree.files.some((f) => f.endsWith('stage2.toml'))).toBe(false);
    expect(tree.files.some((f) => f.includes('/overrides/'))).toBe(false);
    expect(tree.files[0]).toBe(join(fixture, 'azldev.toml'));
  });

  it('parses every section into typed objects', () => {
    expect(tree.project['default-distro']).toEqual({ name: 'azurelinux' });
    expect(Object.keys(tree.distros).sort()).toEqual(['azurelinux', 'fedora']);
    expect(Object.keys(tree.distros.fedora?.versions ?? {}).sort()).toEqual([
      '41',
      '42',
      '43',
      '44',
      'rawhide',
    ]);
    expect(tree.distros.fedora?.repos).toHaveLength(3);
    expect(Object.keys(tree.images)).toHaveLength(5);
    expect(Object.keys(tree.packageGroups)).toEqual(['base-packages']);
    expect(tree.defaultPackageConfig).toEqual({ publish: { channel: 'rpm-sdk' } });
  });

  it('resolves relative paths against the declaring file', () => {
    expect(tree.project['rendered-specs-dir']).toBe(join(fixture, 'specs'));
    expect(tree.images['vm-base']?.definition?.path).toBe(join(fixture, 'base/images/vm-base/vm-base.kiwi'));
    expect(tree.distros.azurelinux?.versions?.['4.0-stage2']?.['mock-config-x86_64']).toBe(
      join(fixture, 'distro/mock/azl4/stage2/azurelinux-4.0-x86_64.cfg'),
    );
    const release = tree.components.get('azurelinux-release');
    expect(release?.config.spec?.path).toBe(
      join(fixture, 'base/comps/azurelinux-release/azurelinux-release.spec'),
    );
    const distSh = tree.components
      .get('azurelinux-rpm-config')
      ?.config.overlays?.find((o) => o.type === 'file-add');
    expect(distSh?.source).toBe(join(fixture, 'base/comps/azurelinux-rpm-config/dist.sh'));
  });
});

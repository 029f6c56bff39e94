import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { locateDistroSource, validateDistroTree } from '../../scripts/distro-source';
import { buildPackage } from '../../scripts/package';
import { DISTROS } from '../../testing/fixtures/distro-tree';
import { thrownPipelineError } from '../../testing/failures';
import { tempDirForTest } from '../../testing/temp-dirs';

/**
 * The distribution tree `npm run package` ships: where it is found (`AZL_DISTRO_SOURCE`, default `distro/`)
 * and the validation that stops a broken tree before it is deployed. The full package run, with a tree, is
 * tests/package/package.test.ts.
 */
function write(dir: string, files: Record<string, string>): string {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

const VALID = {
  'azldev.toml': `includes = ["components.toml"]\n${DISTROS}`,
  'components.toml': 'includes = ["comps/**/*.comp.toml"]\n',
  'comps/zlib-ng/zlib-ng.comp.toml': '[components.zlib-ng]\n',
};

describe('locateDistroSource', () => {
  it('takes AZL_DISTRO_SOURCE relative to the repository root, or absolute', () => {
    const root = tempDirForTest('azl-repo-');
    const elsewhere = write(tempDirForTest('azl-tree-'), VALID);
    write(root, { 'trees/azl/azldev.toml': DISTROS });
    expect(locateDistroSource(root, { AZL_DISTRO_SOURCE: 'trees/azl' })).toEqual({
      dir: join(root, 'trees', 'azl'),
      from: 'setting',
    });
    expect(locateDistroSource(root, { AZL_DISTRO_SOURCE: elsewhere })).toEqual({
      dir: elsewhere,
      from: 'setting',
    });
  });

  it('defaults to distro/ at the repository root, and to no tree when that is absent', () => {
    const root = tempDirForTest('azl-repo-');
    expect(locateDistroSource(root, {})).toBeUndefined();
    expect(locateDistroSource(root, { AZL_DISTRO_SOURCE: '  ' })).toBeUndefined();
    write(root, { 'distro/azldev.toml': DISTROS });
    expect(locateDistroSource(root, {})).toEqual({ dir: join(root, 'distro'), from: 'default' });
  });

  it('fails naming AZL_DISTRO_SOURCE when it is set to no folder, even if distro/ exists', () => {
    const root = write(tempDirForTest('azl-repo-'), { 'distro/azldev.toml': DISTROS, 'a-file': '' });
    for (const value of ['missing', 'a-file']) {
      const error = thrownPipelineError(
        () => locateDistroSource(root, { AZL_DISTRO_SOURCE: value }),
        'distro.missing-root',
      );
      expect(error.message).toContain(`AZL_DISTRO_SOURCE=${value}: ${join(root, value)} is not a folder`);
    }
  });
});

describe('validateDistroTree', () => {
  it('loads a valid tree with the app loader, following includes', () => {
    const tree = validateDistroTree(write(tempDirForTest('azl-tree-'), VALID));
    expect([...tree.components.keys()]).toEqual(['zlib-ng']);
    expect(tree.files).toHaveLength(3);
  });

  it('fails on a broken file, naming it', () => {
    const dir = write(tempDirForTest('azl-tree-'), {
      ...VALID,
      'comps/zlib-ng/zlib-ng.comp.toml': '[components.zlib-ng\n',
    });
    const error = thrownPipelineError(() => validateDistroTree(dir), 'distro.toml-syntax');
    expect(error.message).toContain(join(dir, 'comps', 'zlib-ng', 'zlib-ng.comp.toml'));
  });

  it('fails on a folder without azldev.toml', () => {
    const dir = write(tempDirForTest('azl-tree-'), { 'README.md': 'not a tree' });
    const error = thrownPipelineError(() => validateDistroTree(dir), 'distro.missing-root');
    expect(error.message).toContain(join(dir, 'azldev.toml'));
  });

  it('fails on an include outside the tree, which the copied package would not have', () => {
    const parent = write(tempDirForTest('azl-parent-'), {
      'tree/azldev.toml': `includes = ["../shared.toml"]\n${DISTROS}`,
      'shared.toml': '[components.bash]\n',
    });
    const error = thrownPipelineError(() => validateDistroTree(join(parent, 'tree')), 'distro.invalid');
    expect(error.message).toContain(`${join(parent, 'shared.toml')}: included from the tree`);
    expect(error.context.file).toBe(join(parent, 'shared.toml'));
  });
});

describe('buildPackage with a broken tree', () => {
  it('fails before staging anything, so no package folder or zip is written', () => {
    const tree = write(tempDirForTest('azl-tree-'), { ...VALID, 'components.toml': 'includes = 3\n' });
    const out = tempDirForTest('azl-out-');
    const packageDir = join(out, 'package');
    const error = thrownPipelineError(
      () =>
        buildPackage(join(__dirname, '..', '..'), {
          zipPath: join(out, 'app.zip'),
          packageDir,
          distro: { dir: tree, from: 'setting' },
        }),
      'distro.invalid',
    );
    expect(error.message).toContain(join(tree, 'components.toml'));
    expect(readdirSync(out)).toEqual([]);
  });
});

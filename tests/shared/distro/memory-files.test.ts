import { describe, expect, it } from 'vitest';
import type { DistroFiles } from '../../../shared/distro';
import { fingerprintComponent, loadDistroTree, resolveComponent } from '../../../shared/distro';
import { DISTROS } from '../../../testing/fixtures/distro-tree';

/** An in-memory tree; `glob` understands only `[<dir>/]*.toml` (enough for these tests). */
function memoryFiles(tree: Record<string, string>): DistroFiles {
  return {
    read: (path) => {
      const text = tree[path];
      if (text === undefined) throw new Error(`ENOENT ${path}`);
      return text;
    },
    exists: (path) => path in tree,
    glob: (pattern, cwd) => {
      const slash = pattern.lastIndexOf('/');
      const dir = slash < 0 ? cwd : `${cwd}/${pattern.slice(0, slash)}`;
      if (pattern.slice(slash + 1) !== '*.toml') throw new Error(`unsupported pattern ${pattern}`);
      return Object.keys(tree).filter(
        (p) => p.startsWith(`${dir}/`) && !p.slice(dir.length + 1).includes('/') && p.endsWith('.toml'),
      );
    },
  };
}

describe('the loader through an in-memory DistroFiles', () => {
  const files = memoryFiles({
    '/t/azldev.toml': `includes = ["comps/*.toml"]\n${DISTROS}`,
    '/t/comps/a.toml':
      '[components.a]\n[[components.a.overlays]]\ntype = "patch-add"\nsource = "fix.patch"\n',
    '/t/comps/b.toml': '[components.b]\n',
    '/t/comps/fix.patch': '--- a\n+++ b\n',
  });

  it('needs no file system', () => {
    const tree = loadDistroTree(files, '/t');
    expect(tree.files).toEqual(['/t/azldev.toml', '/t/comps/a.toml', '/t/comps/b.toml']);
    expect(resolveComponent(tree, 'a').config.overlays).toEqual([
      { type: 'patch-add', source: '/t/comps/fix.patch' },
    ]);
    expect(fingerprintComponent(tree, files, 'a').inputs.files).toEqual({
      'comps/fix.patch': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});

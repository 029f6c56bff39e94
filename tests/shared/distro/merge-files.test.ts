import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../../../shared/error-codes';
import { PipelineError } from '../../../shared/errors';
import { DISTROS, loadTree, writeTree } from '../../../testing/fixtures/distro-tree';
import { thrown } from '../../../testing/failures';

describe('merging the files of a tree', () => {
  it('merges distros field by field, replacing repos and whole versions', () => {
    const tree = loadTree(
      writeTree({
        'azldev.toml': `includes = ["more.toml"]\n${DISTROS}`,
        'more.toml': `
[distros.fedora]
description = "Fedora, again"
dist-git-base-uri = "git://internal/rpms/$pkg.git"
repos = [{ base-uri = "https://mirror/x" }]
[distros.fedora.versions.43]
release-ver = "43"
[distros.fedora.versions.44]
release-ver = "44"
dist-git-branch = "f44"
`,
      }),
    );
    const fedora = tree.distros.fedora;
    expect(fedora?.['default-version']).toBe('43');
    expect(fedora?.description).toBe('Fedora, again');
    expect(fedora?.['dist-git-base-uri']).toBe('git://internal/rpms/$pkg.git');
    expect(fedora?.repos).toEqual([{ 'base-uri': 'https://mirror/x' }]);
    // versions.43 was replaced whole: its dist-git-branch is gone.
    expect(fedora?.versions?.['43']).toEqual({ 'release-ver': '43' });
    expect(Object.keys(fedora?.versions ?? {}).sort()).toEqual(['43', '44', 'rawhide']);
  });

  it('takes later non-empty project and default fields, keeping earlier ones', () => {
    const dir = writeTree({
      'azldev.toml': `includes = ["p.toml", "sub/p.toml"]\n${DISTROS}`,
      'p.toml': '[project]\ndescription = "first"\nwork-dir = "w"\n',
      'sub/p.toml':
        '[project]\ndescription = "second"\noutput-dir = "out"\n[tools.imageCustomizer]\ncontainerTag = "x:2"\n',
    });
    const tree = loadTree(dir);
    expect(tree.project).toMatchObject({
      description: 'second',
      'work-dir': join(dir, 'w'),
      'output-dir': join(dir, 'sub/out'),
    });
    expect(tree.tools).toEqual({ imageCustomizer: { containerTag: 'x:2' } });
  });

  it('keeps azldev embedded tool defaults when the tree sets none', () => {
    expect(loadTree(writeTree({ 'azldev.toml': DISTROS })).tools).toEqual({
      imageCustomizer: { containerTag: 'mcr.microsoft.com/azurelinux/imagecustomizer:1' },
    });
  });

  it.each<[string, ErrorCode, string]>([
    ['images', 'distro.duplicate-image', '[images.vm]\ndescription = "x"\n'],
    ['component-groups', 'distro.duplicate-component-group', '[component-groups.g]\n'],
    ['package-groups', 'distro.duplicate-package-group', '[package-groups.g]\n'],
    ['test-suites', 'distro.duplicate-test-suite', '[test-suites.t]\n'],
  ])('rejects %s defined twice', (_section, code, text) => {
    const dir = writeTree({
      'azldev.toml': `includes = ["a.toml", "b.toml"]\n${DISTROS}`,
      'a.toml': text,
      'b.toml': text,
    });
    const error = thrown(() => loadTree(dir));
    expect(PipelineError.is(error, code)).toBe(true);
    expect((error as PipelineError).context).toMatchObject({
      file: join(dir, 'b.toml'),
      firstFile: join(dir, 'a.toml'),
      line: 1,
    });
  });

  it('rejects a package listed by two package groups when channels are resolved', async () => {
    const { packageGroupOf } = await import('../../../shared/distro/channels');
    const tree = loadTree(
      writeTree({
        'azldev.toml': `${DISTROS}\n[package-groups.a]\npackages = ["p"]\n[package-groups.b]\npackages = ["p"]\n`,
      }),
    );
    expect(
      PipelineError.is(
        thrown(() => packageGroupOf(tree, 'p')),
        'distro.duplicate-package',
      ),
    ).toBe(true);
  });
});

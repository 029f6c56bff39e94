import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { packageChannel } from '../../../shared/distro/channels';
import { resolveComponent } from '../../../shared/distro/effective';
import { loadDistroTree } from '../../../shared/distro/load';
import { mergeValues } from '../../../shared/distro/merge-values';
import { resolveSpecOrigin } from '../../../shared/distro/upstream';
import { DISTROS, loadTree, writeTree } from '../../../testing/fixtures/distro-tree';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

describe('mergeValues (azldev merge rules)', () => {
  it('overrides with later non-empty values; false and "" never override', () => {
    const base = { check: { skip: true, skip_reason: 'flaky' }, name: 'a', n: 3 };
    expect(mergeValues(base, { check: { skip: false, skip_reason: '' }, name: 'b', n: 0 }, true)).toEqual({
      check: { skip: true, skip_reason: 'flaky' },
      name: 'b',
      n: 3,
    });
  });

  it('appends lists (or replaces them without appendLists) and merges maps by key', () => {
    type Build = { with?: string[]; defines?: Record<string, string> };
    const base: Build = { with: ['a'], defines: { x: '1', y: '2' } };
    const later: Build = { with: ['b'], defines: { y: '3', z: '4' } };
    expect(mergeValues(base, later, true)).toEqual({ with: ['a', 'b'], defines: { x: '1', y: '3', z: '4' } });
    expect(mergeValues(base, later, false).with).toEqual(['b']);
    expect(mergeValues<Build>(base, { with: [] }, false).with).toEqual(['a']);
  });

  it('does not mutate its inputs', () => {
    const base = { list: ['a'], table: { k: 'v' } };
    mergeValues(base, { list: ['b'], table: { k: 'w' } }, true);
    expect(base).toEqual({ list: ['a'], table: { k: 'v' } });
  });
});

describe('effective component config', () => {
  const dir = writeTree({
    'azldev.toml': `${DISTROS}
[default-component-config.build]
with = ["project"]
defines = { a = "project", b = "project" }
[component-groups.zz]
components = ["c"]
[component-groups.zz.default-component-config.build]
with = ["zz"]
defines = { b = "zz" }
[[component-groups.zz.default-component-config.overlays]]
type = "spec-add-tag"
tag = "Provides"
value = "zz"
[component-groups.aa]
components = ["c"]
[component-groups.aa.default-component-config.build]
with = ["aa"]
check = { skip = true, skip_reason = "group" }
[components.c]
spec = { type = "upstream", upstream-distro = { name = "fedora", version = "rawhide" } }
build = { with = ["own"], check = { skip = false } }
release = { calculation = "manual" }
[[components.c.overlays]]
type = "spec-remove-tag"
tag = "Obsoletes"
[components.d]
`,
  });
  const tree = loadTree(dir);

  it('layers distro version → project → groups sorted by name → component', () => {
    const c = resolveComponent(tree, 'c');
    expect(c.groups).toEqual(['aa', 'zz']);
    expect(c.distro).toEqual({ name: 'azl', version: '4.0' });
    expect(c.config.build?.with).toEqual(['project', 'aa', 'zz', 'own']);
    expect(c.config.build?.defines).toEqual({ a: 'project', b: 'zz' });
    expect(c.config.build?.check).toEqual({ skip: true, skip_reason: 'group' });
    expect(c.config.overlays?.map((o) => o.type)).toEqual(['spec-add-tag', 'spec-remove-tag']);
    expect(c.config.release).toEqual({ calculation: 'manual' });
    // The upstream distro reference is merged field by field: the distro default's snapshot stays.
    expect(c.config.spec?.['upstream-distro']).toEqual({
      name: 'fedora',
      version: 'rawhide',
      snapshot: '2026-02-24T00:00:00-08:00',
    });
  });

  it('defaults release.calculation to auto and leaves ungrouped components alone', () => {
    const d = resolveComponent(tree, 'd');
    expect(d.groups).toEqual([]);
    expect(d.config.release).toEqual({ calculation: 'auto' });
    expect(d.config.build).toEqual({ with: ['project'], defines: { a: 'project', b: 'project' } });
  });

  it('rejects an unknown component', () => {
    expect(() => resolveComponent(tree, 'nope')).toThrow(/no component named nope/);
  });
});

describe('upstream resolution on the fixture tree', () => {
  const fixture = fixturePath('azurelinux');
  const tree = loadDistroTree(new FsDistroFiles(), fixture);
  const origin = (name: string) => resolveSpecOrigin(tree, resolveComponent(tree, name));

  it('a bare component follows Fedora 43 at the distro snapshot', () => {
    expect(origin('389-ds-base')).toEqual({
      kind: 'upstream',
      upstreamName: '389-ds-base',
      distro: 'fedora',
      version: '43',
      distGitUrl: 'https://src.fedoraproject.org/rpms/389-ds-base.git',
      branch: 'f43',
      snapshot: '2026-02-24T00:00:00-08:00',
      commit: undefined,
      choice: 'snapshot',
    });
  });

  it('a pinned commit, rawhide, upstream-name and a local spec', () => {
    expect(origin('ImageMagick')).toMatchObject({
      choice: 'pinned',
      commit: 'd19ffa4ff6561de088a5d92bfe95950591aa82f8',
      branch: 'f43',
    });
    expect(origin('bash')).toMatchObject({
      version: 'rawhide',
      branch: 'rawhide',
      snapshot: '2026-02-24T00:00:00-08:00',
    });
    expect(origin('azurelinux-rpm-config')).toMatchObject({
      upstreamName: 'redhat-rpm-config',
      distGitUrl: 'https://src.fedoraproject.org/rpms/redhat-rpm-config.git',
    });
    expect(origin('azurelinux-release')).toEqual({
      kind: 'local',
      path: join(fixture, 'base/comps/azurelinux-release/azurelinux-release.spec'),
    });
  });

  it('the check-skip group applies to its members', () => {
    const member = tree.componentGroups['check-skip-initial-failures']?.components?.[0] ?? '';
    expect(resolveComponent(tree, member).config.build?.check?.skip).toBe(true);
  });

  it('maps binary packages to publish channels', () => {
    expect(packageChannel(tree, '389-ds-base-libs')).toBe('rpm-base');
    expect(packageChannel(tree, 'not-in-any-group')).toBe('rpm-sdk');
  });

  it('a component packages.<pkg> entry wins over the package group', () => {
    const small = loadTree(
      writeTree({
        'azldev.toml': `${DISTROS}
[default-package-config]
publish = { channel = "rpm-sdk" }
[package-groups.base]
packages = ["p", "q"]
default-package-config.publish.channel = "rpm-base"
[components.c.packages.q]
publish = { rpm-channel = "rpm-none" }
`,
      }),
    );
    const c = resolveComponent(small, 'c');
    expect(packageChannel(small, 'p', c)).toBe('rpm-base');
    expect(packageChannel(small, 'q', c)).toBe('rpm-none');
    expect(packageChannel(small, 'r', c)).toBe('rpm-sdk');
  });
});

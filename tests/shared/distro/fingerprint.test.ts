import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { fingerprintComponent } from '../../../shared/distro/fingerprint';
import type { DistroTree } from '../../../shared/distro/tree';
import { loadTree } from '../../../testing/fixtures/distro-tree';
import { tempCopyOf } from '../../../testing/temp-dirs';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

const fixture = fixturePath('azurelinux');
const files = new FsDistroFiles();

const all = (tree: DistroTree): Map<string, string> =>
  new Map(
    [...tree.components.keys()].map((name) => [name, fingerprintComponent(tree, files, name).fingerprint]),
  );

const copyFixture = (): string => tempCopyOf(fixture, 'azl-fp-');

describe('component fingerprints', () => {
  it('are the same for two loads, and for the same tree in another place', () => {
    const first = all(loadTree(fixture));
    expect(all(loadTree(fixture))).toEqual(first);
    expect(all(loadTree(copyFixture()))).toEqual(first);
    expect(first.get('bash')).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('a change to one component overlay changes only that fingerprint', () => {
    const before = all(loadTree(fixture));
    const dir = copyFixture();
    const path = join(dir, 'base/comps/rpm/rpm.comp.toml');
    writeFileSync(path, files.read(path).replace('RPM_VENDOR=azurelinux', 'RPM_VENDOR=other'));
    const after = all(loadTree(dir));
    const changed = [...after].filter(([name, fp]) => before.get(name) !== fp).map(([name]) => name);
    expect(changed).toEqual(['rpm']);
  });

  it('an overlay source file content is part of the fingerprint', () => {
    const dir = copyFixture();
    const before = all(loadTree(dir));
    writeFileSync(join(dir, 'base/comps/azurelinux-rpm-config/dist.sh'), '#!/bin/sh\necho azl4\n');
    const after = all(loadTree(dir));
    const changed = [...after].filter(([name, fp]) => before.get(name) !== fp).map(([name]) => name);
    expect(changed).toEqual(['azurelinux-rpm-config']);
    const tree = loadTree(dir);
    expect(fingerprintComponent(tree, files, 'azurelinux-rpm-config').inputs.files).toMatchObject({
      'base/comps/azurelinux-rpm-config/dist.sh': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it("a local spec and its sidecar files are part of that component's fingerprint only", () => {
    const dir = copyFixture();
    const before = all(loadTree(dir));
    writeFileSync(
      join(dir, 'base/comps/azurelinux-release/azurelinux-release.spec'),
      'Name: azurelinux-release\n',
    );
    const withSpec = all(loadTree(dir));
    writeFileSync(join(dir, 'base/comps/azurelinux-release/os-release'), 'NAME=Azure Linux\n');
    const withSidecar = all(loadTree(dir));
    const diff = (a: Map<string, string>, b: Map<string, string>) =>
      [...b].filter(([name, fp]) => a.get(name) !== fp).map(([name]) => name);
    expect(diff(before, withSpec)).toEqual(['azurelinux-release']);
    expect(diff(withSpec, withSidecar)).toEqual(['azurelinux-release']);
  });

  it("the default distro version's mock config is an input of every component", () => {
    const dir = copyFixture();
    const before = all(loadTree(dir));
    mkdirSync(join(dir, 'distro/mock/azl4/stage2'), { recursive: true });
    writeFileSync(
      join(dir, 'distro/mock/azl4/stage2/azurelinux-4.0-x86_64.cfg'),
      "config_opts['root'] = 'x'\n",
    );
    const after = all(loadTree(dir));
    expect([...after].filter(([name, fp]) => before.get(name) === fp)).toEqual([]);
  });

  it('build options are part of the fingerprint', () => {
    const tree = loadTree(fixture);
    const plain = fingerprintComponent(tree, files, 'bash').fingerprint;
    expect(fingerprintComponent(tree, files, 'bash', { arch: 'x86_64' }).fingerprint).not.toBe(plain);
    expect(fingerprintComponent(tree, files, 'bash', { arch: 'x86_64' }).fingerprint).toBe(
      fingerprintComponent(tree, files, 'bash', { arch: 'x86_64' }).fingerprint,
    );
  });
});

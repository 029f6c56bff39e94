import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { IMAGE_RPM_DBPATH } from '../../../infra/images/dnf-installroot';
import {
  installLeavingOutUnresolved,
  unmetDependencies,
} from '../../../infra/images/install-leaving-out-unresolved';
import { loadImageDescription } from '../../../infra/images/load-image-descriptions';
import { buildLocalImage } from '../../../infra/images/local-image-builder';
import type { LocalImageBuildRequest } from '../../../infra/images/local-image-builder';
import { loadDistroTree } from '../../../shared/distro/load';
import { resolveImageDefinition } from '../../../shared/images/resolve-definition';
import { failure } from '../../../testing/failures';
import { DISTROS, writeTree } from '../../../testing/fixtures/distro-tree';
import { run } from '../../../testing/images/disk-tools';
import { tinyKiwi } from '../../../testing/images/tiny-image-repo';
import { buildRpms, createrepo } from '../../../testing/rpm/rpm-tools';
import { useTempDir } from '../../../testing/temp-dirs';

/**
 * A repository whose `needs-absent` requires `base-thing` (in the repository) and `absent-capability`
 * (in none), as the demo's binaries require a C library its repositories do not hold.
 */
const spec = (name: string, requires: string[]) => `Name: ${name}
Version: 1.0
Release: 1
Summary: ${name}
License: MIT
BuildArch: noarch
AutoReqProv: no
${requires.map((r) => `Requires: ${r}\n`).join('')}
%description
${name}.

%install
mkdir -p %{buildroot}/usr/share/${name}
echo ${name} > %{buildroot}/usr/share/${name}/README

%files
/usr/share/${name}
`;

const dir = useTempDir('azl-install-unresolved-');
let baseUrl: string;
let treeDir: string;

beforeAll(() => {
  const repo = join(dir, 'repo');
  mkdirSync(repo, { recursive: true });
  const rpms = buildRpms(join(dir, 'build'), {
    'base-thing': spec('base-thing', []),
    'needs-absent': spec('needs-absent', ['base-thing', 'absent-capability >= 2']),
    'not-asked-for': spec('not-asked-for', []),
  }).filter((file) => !file.endsWith('.src.rpm'));
  for (const rpm of rpms) copyFileSync(rpm, join(repo, basename(rpm)));
  createrepo(repo, '3');
  baseUrl = `${pathToFileURL(repo).href}/`;
  treeDir = writeTree({
    'azldev.toml': `${DISTROS}
[images.needs-more]
definition = { type = "kiwi", path = "images/needs-more.kiwi" }
`,
    'images/needs-more.kiwi': tinyKiwi({ name: 'needs-more', image: ['needs-absent'], bootstrap: [] }),
  });
});
afterAll(() => rmSync(treeDir, { recursive: true, force: true }));

const installed = (root: string): string[] =>
  run('rpm', ['--root', root, '--dbpath', IMAGE_RPM_DBPATH, '-qa', '--qf', '%{NAME}\n'])
    .split('\n')
    .filter(Boolean)
    .sort();

describe('installLeavingOutUnresolved', () => {
  const options = () => ({
    repositories: [{ id: 'base/noarch', baseUrl }],
    releaseVersion: '4.0',
    arch: 'x86_64',
    workDir: mkdtempSync(join(dir, 'work-')),
  });

  it('installs the packages and what of their dependencies the repositories have, and returns the rest', async () => {
    const root = mkdtempSync(join(dir, 'root-'));
    const unresolved = await installLeavingOutUnresolved(root, ['needs-absent'], options());
    expect(unresolved).toEqual([
      { capability: 'absent-capability >= 2', neededBy: 'needs-absent-1.0-1.noarch' },
    ]);
    expect(installed(root)).toEqual(['base-thing', 'needs-absent']);
  });

  it('installs nothing excluded, so what the excluded package provided is unmet too', async () => {
    const root = mkdtempSync(join(dir, 'root-'));
    const unresolved = await installLeavingOutUnresolved(root, ['needs-absent'], {
      ...options(),
      exclude: ['base-thing'],
    });
    expect(unresolved.map((d) => d.capability).sort()).toEqual(['absent-capability >= 2', 'base-thing']);
    expect(installed(root)).toEqual(['needs-absent']);
  });

  it("reads rpm's failed dependencies", () => {
    const said = [
      'error: Failed dependencies:',
      '\tlibc.so.6()(64bit) is needed by azl-greeter-2.1-2.azl4.x86_64',
      '\trtld(GNU_HASH) is needed by azl-hello-lib-1.0-3.azl4.x86_64',
      '',
    ].join('\n');
    expect(unmetDependencies(said)).toEqual([
      { capability: 'libc.so.6()(64bit)', neededBy: 'azl-greeter-2.1-2.azl4.x86_64' },
      { capability: 'rtld(GNU_HASH)', neededBy: 'azl-hello-lib-1.0-3.azl4.x86_64' },
    ]);
    expect(unmetDependencies('error: something else entirely\n')).toEqual([]);
  });
});

describe('the local builder with a dependency no repository provides', () => {
  async function request(allowMissing: boolean): Promise<LocalImageBuildRequest> {
    const tree = loadDistroTree(new FsDistroFiles(), treeDir);
    const { entry, description } = await loadImageDescription(tree, 'needs-more');
    const work = mkdtempSync(join(dir, 'image-'));
    return {
      definition: resolveImageDefinition(entry, description, 'x86_64'),
      description: { file: 'images/needs-more.kiwi', sha256: 'b'.repeat(64) },
      repositories: [{ id: 'base/noarch', baseUrl }],
      image: { name: 'needs-more', version: '1' },
      workDir: join(work, 'work'),
      outDir: join(work, 'out'),
      allowMissing,
      builderVersion: '9.9.9',
    };
  }

  it('fails as dnf says when missing packages are not allowed', async () => {
    const error = await failure(buildLocalImage(await request(false)));
    expect(error.code).toBe('image.install-failed');
    expect(error.retryable).toBe(false);
    expect(error.message).toContain('nothing provides absent-capability >= 2 needed by needs-absent');
  });

  it('installs without it when they are, and the manifest says which dependency is unmet', async () => {
    const result = await buildLocalImage(await request(true));
    expect(result.manifest.packages.map((p) => p.nevra)).toEqual([
      'base-thing-1.0-1.noarch',
      'needs-absent-1.0-1.noarch',
    ]);
    expect(result.manifest.requested).toEqual({
      packages: ['needs-absent'],
      missing: [],
      allowMissing: true,
      unresolved: [{ capability: 'absent-capability >= 2', neededBy: 'needs-absent-1.0-1.noarch' }],
    });
    expect(result.warnings).toContain(
      'installed with dependencies no repository provides: absent-capability >= 2 (needed by needs-absent-1.0-1.noarch)',
    );
  });
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  INSTALLED_QUERY_FORMAT,
  parseInstalledPackages,
  readInstalledPackages,
} from '../../../infra/images/installed-packages';
import { buildImageManifest, imageManifestJson, parseImageManifest } from '../../../shared/images/manifest';
import { failure, thrownPipelineError } from '../../../testing/failures';
import { sampleManifestInput } from '../../../testing/images/sample-image-manifest';
import { buildRpms } from '../../../testing/rpm/rpm-tools';
import { tempDirForTest, useTempDir } from '../../../testing/temp-dirs';

/**
 * Two tiny RPMs built with rpmbuild and installed with the real `rpm --root <dir> -i --nodeps` into a root
 * that has nothing else, then read back: what the manifest would list for that image.
 */
const SPECS = {
  'azl-tiny-a': `Name: azl-tiny-a
Epoch: 2
Version: 1.2^git3
Release: 4%{?dist}
Summary: A tiny noarch package with an epoch and an SPDX License tag
License: MIT AND (Apache-2.0 OR BSD-3-Clause)
BuildArch: noarch

%description
Installs one six-byte file.

%install
mkdir -p %{buildroot}/usr/share/azl-tiny-a
printf 'hello\\n' > %{buildroot}/usr/share/azl-tiny-a/hello.txt

%files
/usr/share/azl-tiny-a/hello.txt
`,
  'azl-tiny-b': `Name: azl-tiny-b
Version: 0.9
Release: 1%{?dist}
Summary: A tiny package for the build arch with a Callaway License tag
License: GPLv2+ and BSD

%description
Installs one file of 1000 bytes.

%install
mkdir -p %{buildroot}/usr/share/azl-tiny-b
head -c 1000 /dev/zero > %{buildroot}/usr/share/azl-tiny-b/zeros

%files
/usr/share/azl-tiny-b/zeros
`,
};

const work = useTempDir('azl-installed-');
let binaries: string[] = [];
let buildArch = '';

beforeAll(() => {
  binaries = buildRpms(work, SPECS).filter((file) => !file.endsWith('.src.rpm'));
  buildArch = execFileSync('rpm', ['--eval', '%{_arch}'], { encoding: 'utf8' }).trim();
});

/** A fresh root with the two packages installed by rpm into the database at `dbPath`. */
function installedRoot(dbPath: string): string {
  const root = tempDirForTest('azl-root-');
  execFileSync('rpm', ['--root', root, '--dbpath', dbPath, '-i', '--nodeps', ...binaries], { stdio: 'pipe' });
  return root;
}

const EXPECTED = () => [
  {
    name: 'azl-tiny-a',
    epoch: 2,
    version: '1.2^git3',
    release: '4.t1',
    arch: 'noarch',
    nevra: 'azl-tiny-a-2:1.2^git3-4.t1.noarch',
    license: 'MIT AND (Apache-2.0 OR BSD-3-Clause)',
    sourceRpm: 'azl-tiny-a-1.2^git3-4.t1.src.rpm',
    sizeBytes: 6,
  },
  {
    name: 'azl-tiny-b',
    epoch: 0,
    version: '0.9',
    release: '1.t1',
    arch: buildArch,
    nevra: `azl-tiny-b-0.9-1.t1.${buildArch}`,
    license: 'GPLv2+ and BSD',
    sourceRpm: 'azl-tiny-b-0.9-1.t1.src.rpm',
    sizeBytes: 1000,
  },
];

describe('readInstalledPackages on a real root', () => {
  it('reads every installed package from /var/lib/rpm, sorted, with its license, source RPM and size', async () => {
    const packages = await readInstalledPackages(installedRoot('/var/lib/rpm'));
    expect(packages).toEqual(EXPECTED());
  });

  it('finds a Fedora-style database in /usr/lib/sysimage/rpm by itself', async () => {
    const packages = await readInstalledPackages(installedRoot('/usr/lib/sysimage/rpm'));
    expect(packages.map((p) => p.nevra)).toEqual(EXPECTED().map((p) => p.nevra));
  });

  it('gives what the manifest lists, and the manifest reads back', async () => {
    const packages = await readInstalledPackages(installedRoot('/var/lib/rpm'));
    const manifest = buildImageManifest(sampleManifestInput({ packages }));
    expect(parseImageManifest(JSON.parse(imageManifestJson(manifest))).packages).toEqual(EXPECTED());
  });

  it('agrees with plain rpm -qa on the NEVRAs', async () => {
    const root = installedRoot('/var/lib/rpm');
    const plain = execFileSync(
      'rpm',
      [
        '--root',
        root,
        '--dbpath',
        '/var/lib/rpm',
        '-qa',
        '--qf',
        '%{NAME}-%{EPOCH}:%{VERSION}-%{RELEASE}.%{ARCH}\n',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const fromRpm = plain
      .trim()
      .split('\n')
      .map((line) => line.replace('-(none):', '-'))
      .sort();
    expect((await readInstalledPackages(root)).map((p) => p.nevra)).toEqual(fromRpm);
  });
});

describe('readInstalledPackages refusing', () => {
  it('a root with no rpm database, naming the root (rpm -qa itself would print nothing and succeed)', async () => {
    const root = tempDirForTest('azl-empty-root-');
    const error = await failure(readInstalledPackages(root));
    expect(error.code).toBe('image.rpmdb-missing');
    expect(error.context.root).toBe(root);
    expect(error.message).toContain(root);
  });

  it('a database path given that holds no database', async () => {
    const root = installedRoot('/var/lib/rpm');
    const error = await failure(readInstalledPackages(root, { dbPath: '/usr/lib/sysimage/rpm' }));
    expect(error.code).toBe('image.rpmdb-missing');
    expect(error.context.dbPath).toBe('/usr/lib/sysimage/rpm');
  });

  it('a database rpm cannot read, with what rpm said', async () => {
    const root = tempDirForTest('azl-broken-root-');
    mkdirSync(join(root, 'var/lib/rpm'), { recursive: true });
    writeFileSync(join(root, 'var/lib/rpm/rpmdb.sqlite'), 'this is not an sqlite database\n');
    const error = await failure(readInstalledPackages(root));
    expect(error.code).toBe('image.rpmdb-unreadable');
    expect(error.retryable).toBe(false);
    expect(error.context).toMatchObject({ root, dbPath: '/var/lib/rpm' });
    expect(error.message).toMatch(/not a database/);
  });
});

describe('parseInstalledPackages', () => {
  const F = '\x1f';
  const R = '\x1e';
  const record = (...fields: string[]) => `${fields.join(F)}${R}`;

  it('uses the ASCII unit and record separators, which no header string holds', () => {
    expect(INSTALLED_QUERY_FORMAT).toBe(
      `%{NAME}${F}%{EPOCHNUM}${F}%{VERSION}${F}%{RELEASE}${F}%{ARCH}${F}%{LICENSE}${F}%{SOURCERPM}${F}%{LONGSIZE}${R}`,
    );
  });

  it('keeps tabs, newlines and spaces inside values, and reads (none) as null', () => {
    const output =
      record('odd', '0', '1', '1', 'noarch', 'MIT\tAND\nISC', '(none)', '5') +
      record('gpg-pubkey', '0', 'abcdef01', '5f0a1b2c', '(none)', 'pubkey', '(none)', '0');
    expect(parseInstalledPackages(output, '/img')).toEqual([
      {
        name: 'odd',
        epoch: 0,
        version: '1',
        release: '1',
        arch: 'noarch',
        nevra: 'odd-1-1.noarch',
        license: 'MIT\tAND\nISC',
        sourceRpm: null,
        sizeBytes: 5,
      },
    ]);
  });

  it('reads no output as no packages', () => {
    expect(parseInstalledPackages('', '/img')).toEqual([]);
  });

  it.each([
    [record('a', '0', '1', '1', 'noarch', 'MIT', 'a.src.rpm'), 'has 7 fields, not 8'],
    [record('a', '0', '1', '1', 'noarch', 'MIT', 'a.src.rpm', '5', 'extra'), 'has 9 fields, not 8'],
    [record('a', '(none)', '1', '1', 'noarch', 'MIT', 'a.src.rpm', '5'), 'epoch that is not a number'],
    [record('a', '0', '1', '1', 'noarch', 'MIT', 'a.src.rpm', '-5'), 'size that is not a number'],
    [record('', '0', '1', '1', 'noarch', 'MIT', 'a.src.rpm', '5'), 'lacks a name'],
  ])('refuses a malformed record, naming the root (%#)', (output, why) => {
    const error = thrownPipelineError(
      () => parseInstalledPackages(output, '/images/vm-base'),
      'image.rpmdb-unreadable',
    );
    expect(error.message).toContain(why);
    expect(error.context.root).toBe('/images/vm-base');
  });
});

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { azuriteConnectionString, uniqueName } from '../../testing/azurite';
import { runCli } from '../../testing/pipeline/cli-process';
import { buildRpms } from '../../testing/rpm/rpm-tools';
import { useTempDir } from '../../testing/temp-dirs';

const run = promisify(execFile);

/** Small noarch packages: greet needs common (versioned), provides a capability; tool needs it by path. */
const spec = (name: string, version: string, deps: string, file: string) => `Name: ${name}
Version: ${version}
Release: 1
Summary: ${name} for the publish end-to-end test
License: MIT
BuildArch: noarch
AutoReqProv: no
${deps}

%description
${name} is published to Blob Storage and read back by dnf.

%install
mkdir -p %{buildroot}$(dirname ${file})
echo ${name} > %{buildroot}${file}

%files
${file}
`;

const SPECS_V1 = {
  'azl-common': spec('azl-common', '1.0', 'Provides: azl-data(api) = 2', '/usr/share/azl-common/data'),
  'azl-greet': spec(
    'azl-greet',
    '1.0',
    'Requires: azl-common >= 1.0\nProvides: greeting',
    '/usr/bin/azl-greet',
  ),
  'azl-tool': spec('azl-tool', '0.3', 'Requires: /usr/bin/azl-greet', '/usr/libexec/azl-tool/helper'),
};
const SPECS_V2 = {
  'azl-common': spec('azl-common', '1.1', 'Provides: azl-data(api) = 3', '/usr/share/azl-common/data'),
};

const work = useTempDir('repo-publish-dnf-');
let v1: string[];
let sources: string[];
let v2: string[];

beforeAll(() => {
  const built = buildRpms(join(work, 'v1'), SPECS_V1);
  v1 = built.filter((f) => f.endsWith('.noarch.rpm'));
  sources = built.filter((f) => f.endsWith('.src.rpm'));
  v2 = buildRpms(join(work, 'v2'), SPECS_V2).filter((f) => f.endsWith('.noarch.rpm'));
}, 120_000);

async function publish(repository: string, files: string[]) {
  const cli = runCli([
    'repo',
    'publish',
    '--repo',
    repository,
    '--storage',
    azuriteConnectionString(),
    ...files,
  ]);
  expect(await cli.exited, cli.output()).toBe(0);
  return JSON.parse(cli.stdout()) as {
    revision: number;
    added: string[];
    removed: string[];
    baseUrl: string;
    repoFile: string;
    repoFileUrl: string;
    dnf: string;
  };
}

let dnfRun = 0;
/** The real dnf against the blob URL, with a fresh cache each time, failing if the repository cannot load. */
async function dnf(baseUrl: string, ...args: string[]): Promise<string> {
  dnfRun += 1;
  const { stdout } = await run('dnf', [
    '-q',
    '--releasever=4.0',
    '--setopt=reposdir=/dev/null',
    `--setopt=cachedir=${join(work, `cache-${dnfRun}`)}`,
    '--setopt=skip_if_unavailable=False',
    '--setopt=metadata_expire=0',
    `--repofrompath=azl,${baseUrl}`,
    '--repo=azl',
    '--setopt=azl.gpgcheck=0',
    ...args,
  ]);
  return stdout;
}

const QF = ['--qf', '%{name}-%{epoch}:%{version}-%{release}.%{arch}'];
const lines = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .sort();

describe('repo publish, then dnf reads the blob URL', () => {
  it('dnf sees exactly the published packages, resolves provides and requires, and installs', async () => {
    const repository = `${uniqueName('e')}/x86_64`;
    const first = await publish(repository, v1);
    expect(first.revision).toBe(1);
    expect(first.repoFile).toContain(`baseurl=${first.baseUrl}`);
    // The summary says where the publisher stored that same .repo file, and how to list with dnf.
    expect(await (await fetch(first.repoFileUrl)).text()).toBe(first.repoFile);
    expect(first.dnf).toContain(`--repofrompath=azl,${first.baseUrl} `);

    expect(lines(await dnf(first.baseUrl, 'repoquery', ...QF))).toEqual([
      'azl-common-0:1.0-1.noarch',
      'azl-greet-0:1.0-1.noarch',
      'azl-tool-0:0.3-1.noarch',
    ]);
    expect(
      lines(await dnf(first.baseUrl, 'repoquery', ...QF, '--whatprovides', 'azl-data(api) >= 2')),
    ).toEqual(['azl-common-0:1.0-1.noarch']);
    // A path only filelists knows, and a path in primary.
    expect(
      lines(await dnf(first.baseUrl, 'repoquery', ...QF, '--whatprovides', '/usr/libexec/azl-tool/helper')),
    ).toEqual(['azl-tool-0:0.3-1.noarch']);
    expect(
      lines(await dnf(first.baseUrl, 'repoquery', ...QF, '--requires', '--resolve', 'azl-tool')),
    ).toEqual(['azl-greet-0:1.0-1.noarch']);

    const root = join(work, 'installroot');
    await dnf(first.baseUrl, `--installroot=${root}`, '--nogpgcheck', '-y', 'install', 'azl-tool');
    expect(existsSync(join(root, 'usr/libexec/azl-tool/helper'))).toBe(true);
    expect(existsSync(join(root, 'usr/bin/azl-greet'))).toBe(true);
    expect(existsSync(join(root, 'usr/share/azl-common/data'))).toBe(true);

    // A newer azl-common replaces the old one (keep 1); dnf sees the new generation only.
    const second = await publish(repository, v2);
    expect(second).toMatchObject({
      revision: 2,
      added: ['azl-common-1.1-1.noarch'],
      removed: ['azl-common-1.0-1.noarch'],
    });
    expect(lines(await dnf(second.baseUrl, 'repoquery', ...QF))).toEqual([
      'azl-common-0:1.1-1.noarch',
      'azl-greet-0:1.0-1.noarch',
      'azl-tool-0:0.3-1.noarch',
    ]);
    // Publishing the same files again changes nothing.
    expect(await publish(repository, v2)).toMatchObject({ revision: 2, added: [], removed: [] });
  }, 180_000);

  it('source RPMs publish to <channel>/srpms and dnf lists them', async () => {
    const repository = `${uniqueName('e')}/srpms`;
    const published = await publish(repository, sources);
    expect(published.added.sort()).toEqual([
      'azl-common-1.0-1.src',
      'azl-greet-1.0-1.src',
      'azl-tool-0.3-1.src',
    ]);
    expect(lines(await dnf(published.baseUrl, 'repoquery', '--arch=src', ...QF))).toEqual([
      'azl-common-0:1.0-1.src',
      'azl-greet-0:1.0-1.src',
      'azl-tool-0:0.3-1.src',
    ]);
  }, 120_000);
});

it('repo publish without --keep reads AZL_REPO_KEEP_BUILDS, and names it when its value is bad', async () => {
  const cli = runCli(
    ['repo', 'publish', '--repo', 'base/x86_64', '--storage', azuriteConnectionString(), ...v1],
    { AZL_REPO_KEEP_BUILDS: '0' },
  );
  expect(await cli.exited).toBe(1);
  const answer = JSON.parse(cli.stdout().slice(0, cli.stdout().lastIndexOf('}') + 1)) as {
    error: { code: string; setting: string; message: string };
  };
  expect(answer.error.code).toBe('settings.invalid');
  expect(answer.error.setting).toBe('AZL_REPO_KEEP_BUILDS');
  expect(answer.error.message).toContain('at least 1');
});

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuildInput, BuildOutcome } from '../../../shared/build/builder';
import { buildOptionsOf } from '../../../shared/build/build-macros';
import { loadDistroTree, resolveComponent } from '../../../shared/distro';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { renderForBuild } from '../../../infra/builders/render-for-build';
import { RpmbuildBuilder } from '../../../infra/builders/rpmbuild';
import type { FixturePackage } from '../../../infra/local/fedora-fixture';
import {
  readFixturePackages,
  writeFixtureDistro,
  writeUpstreamFolder,
} from '../../../infra/local/fedora-fixture';
import { extractRpm, liveProcesses, rpmQuery } from '../../../testing/rpm/rpm-inspect';
import { useTempDir } from '../../../testing/temp-dirs';
import { fixturePath } from '../../../testing/fixtures/fixture-path';

const root = useTempDir('azl-rpmbuild-test-');
let distroDir: string;
let packages: Map<string, FixturePackage>;
let count = 0;
const builder = new RpmbuildBuilder({ killGraceMs: 500 });
const fresh = (label: string): string => join(root, `${label}-${(count += 1)}`);

beforeAll(() => {
  packages = new Map(readFixturePackages(fixturePath('upstream')).map((p) => [p.name, p]));
  // Rendering reads only the tree; the URIs matter to source preparation (see tests/infra/local/fedora-fixture/).
  distroDir = writeFixtureDistro(join(root, 'distro'), {
    distGitBaseUri: 'file:///nowhere/rpms/$pkg.git',
    lookasideBaseUri: 'http://127.0.0.1:1/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename',
  });
});

/** Renders a fixture package with the fixture distro's overlays and builds it with the distro's options. */
async function buildComponent(name: string): Promise<BuildOutcome> {
  const pkg = packages.get(name);
  if (!pkg) throw new Error(`no fixture package ${name}`);
  const upstream = writeUpstreamFolder(pkg, fresh(`${name}-upstream`));
  const rendered = fresh(`${name}-rendered`);
  await renderForBuild({ config: distroDir, component: name, upstream, out: rendered });
  const tree = loadDistroTree(new FsDistroFiles(), distroDir);
  const options = buildOptionsOf(tree, resolveComponent(tree, name));
  return builder.build(input({ component: name, sourceDir: rendered, ...options }));
}

function input(fields: Partial<BuildInput> & Pick<BuildInput, 'component' | 'sourceDir'>): BuildInput {
  return {
    fingerprint: `sha256:${'0'.repeat(64)}`,
    specFile: `${fields.component}.spec`,
    workDir: fresh(`${fields.component}-work`),
    macros: { dist: '.azl4' },
    with: [],
    without: [],
    timeLimitMs: 120_000,
    ...fields,
  };
}

/** A source folder holding just `<name>.spec` with a header that parses, plus `body`. */
function specOnly(name: string, body: string, header = ''): string {
  const dir = fresh(`${name}-src`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, `${name}.spec`),
    `Name: ${name}\nVersion: 1\nRelease: 1%{?dist}\nSummary: test\nLicense: MIT\n${header}\n%description\ntest\n\n${body}`,
  );
  return dir;
}

function succeeded(outcome: BuildOutcome): Extract<BuildOutcome, { state: 'succeeded' }> {
  if (outcome.state !== 'succeeded')
    throw new Error(`build failed: ${outcome.code} ${outcome.message}\n${outcome.logExcerpt}`);
  return outcome;
}

function failed(outcome: BuildOutcome): Extract<BuildOutcome, { state: 'failed' }> {
  if (outcome.state !== 'failed') throw new Error('expected the build to fail');
  return outcome;
}

const fileNamed = (outcome: { files: readonly { path: string }[] }, name: string): string => {
  const file = outcome.files.find((f) => basename(f.path) === name);
  if (!file) throw new Error(`no ${name} among ${outcome.files.map((f) => basename(f.path)).join(', ')}`);
  return file.path;
};

describe('RpmbuildBuilder: the fixture packages with the fixture distro', () => {
  it('builds azl-hello-lib with its -devel sub-package, %dist .azl4 and the Provides the overlay adds', async () => {
    const outcome = succeeded(await buildComponent('azl-hello-lib'));
    expect(outcome.files.map((f) => `${f.kind} ${basename(f.path)}`)).toEqual([
      'srpm azl-hello-lib-1.0-3.azl4.src.rpm',
      'rpm azl-hello-lib-1.0-3.azl4.x86_64.rpm',
      'rpm azl-hello-lib-devel-1.0-3.azl4.x86_64.rpm',
      'log build.log',
    ]);
    const lib = fileNamed(outcome, 'azl-hello-lib-1.0-3.azl4.x86_64.rpm');
    expect(rpmQuery(lib, '--provides')).toEqual(
      expect.arrayContaining(['azl-greeting-library = 1.0-3.azl4', 'libazlhello.so.1()(64bit)']),
    );
    expect(rpmQuery(lib, '--qf', '%{VENDOR}|%{DISTRIBUTION}|%{RELEASE}')).toEqual([
      'Microsoft Corporation|Azure Linux|3.azl4',
    ]);
    expect(rpmQuery(lib, '--list')).toEqual(
      expect.arrayContaining(['/usr/lib64/libazlhello.so.1', '/usr/lib64/libazlhello.so.1.0.0']),
    );
    const devel = fileNamed(outcome, 'azl-hello-lib-devel-1.0-3.azl4.x86_64.rpm');
    expect(rpmQuery(devel, '--requires')).toContain('azl-hello-lib(x86-64) = 1.0-3.azl4');
    expect(rpmQuery(devel, '--list')).toEqual(['/usr/include/azl-hello.h', '/usr/lib64/libazlhello.so']);
    const srpm = fileNamed(outcome, 'azl-hello-lib-1.0-3.azl4.src.rpm');
    expect(rpmQuery(srpm, '--requires')).toEqual(expect.arrayContaining(['gcc', 'make']));
    expect(rpmQuery(srpm, '--changelog')[0]).toContain('1.0-3');
    expect(execFileSync('cat', [outcome.logPath], { encoding: 'utf8' })).toContain(
      'azl-hello self test passed',
    );
  });

  it('builds azl-hello-tool, which requires the real library and prints its greeting', async () => {
    const tool = succeeded(await buildComponent('azl-hello-tool'));
    const lib = succeeded(await buildComponent('azl-hello-lib'));
    const toolRpm = fileNamed(tool, 'azl-hello-tool-1.0-1.azl4.x86_64.rpm');
    expect(rpmQuery(toolRpm, '--requires')).toContain('libazlhello.so.1()(64bit)');
    const srpm = fileNamed(tool, 'azl-hello-tool-1.0-1.azl4.src.rpm');
    expect(rpmQuery(srpm, '--requires')).toContain('azl-hello-lib-devel >= 1.0');
    const installed = fresh('hello-installed');
    extractRpm(toolRpm, installed);
    extractRpm(fileNamed(lib, 'azl-hello-lib-1.0-3.azl4.x86_64.rpm'), installed);
    const output = execFileSync(join(installed, 'usr/bin/azl-hello-tool'), {
      encoding: 'utf8',
      env: { LD_LIBRARY_PATH: join(installed, 'usr/lib64') },
    });
    expect(output).toBe('azl-hello-tool: hello from azl-hello-lib (library v1)\n');
  });

  it("builds azl-greeter with Patch0, the overlay's patch and the distro's --with shout", async () => {
    const outcome = succeeded(await buildComponent('azl-greeter'));
    const rpm = fileNamed(outcome, 'azl-greeter-2.1-2.azl4.x86_64.rpm');
    const srpm = fileNamed(outcome, 'azl-greeter-2.1-2.azl4.src.rpm');
    expect(rpmQuery(srpm, '--list')).toEqual(
      expect.arrayContaining([
        'azl-greeter-0001-end-the-greeting-with-a-newline.patch',
        'azl-greeter-azure-linux.patch',
        'azl-greeter-2.1.tar',
        'azl-greeter.azl.macros',
      ]),
    );
    const installed = extractRpm(rpm, fresh('greeter-installed'));
    const output = execFileSync(join(installed, 'usr/bin/azl-greeter'), ['tester'], { encoding: 'utf8' });
    expect(output).toBe('HELLO, tester, from Azure Linux!\n');
  });

  it('passes bconds on the command line: the upstream greeter, unrendered, --with shout and without', async () => {
    const upstream = writeUpstreamFolder(
      packages.get('azl-greeter') as FixturePackage,
      fresh('greeter-plain'),
    );
    const greet = async (withs: string[]): Promise<string> => {
      const outcome = succeeded(
        await builder.build(input({ component: 'azl-greeter', sourceDir: upstream, with: withs })),
      );
      const installed = extractRpm(
        fileNamed(outcome, 'azl-greeter-2.1-2.azl4.x86_64.rpm'),
        fresh('greeter-plain-installed'),
      );
      return execFileSync(join(installed, 'usr/bin/azl-greeter'), { encoding: 'utf8' });
    };
    expect(await greet([])).toBe('Hello, world, from Fedora!\n');
    expect(await greet(['shout'])).toBe('HELLO, world, from Fedora!\n');
  });
});

describe('RpmbuildBuilder: failures', () => {
  it('reports a spec that does not parse as build.spec-error, permanent, naming the line', async () => {
    const outcome = failed(
      await builder.build(
        input({ component: 'broken', sourceDir: specOnly('broken', '%files\n', 'Frobnicate: yes') }),
      ),
    );
    expect(outcome).toMatchObject({ code: 'build.spec-error', retryable: false });
    expect(outcome.message).toMatch(/line 6: .*Frobnicate/);
    expect(outcome.logExcerpt).toContain('Frobnicate');
  });

  it('reports a patch that does not apply in %prep as build.spec-error', async () => {
    const upstream = writeUpstreamFolder(
      packages.get('azl-greeter') as FixturePackage,
      fresh('greeter-badpatch'),
    );
    writeFileSync(
      join(upstream, 'azl-greeter-0001-end-the-greeting-with-a-newline.patch'),
      '--- a/greeter.c\n+++ b/greeter.c\n@@ -1,1 +1,1 @@\n-#include <nothing-like-this.h>\n+#include <stdlib.h>\n',
    );
    const outcome = failed(await builder.build(input({ component: 'azl-greeter', sourceDir: upstream })));
    expect(outcome).toMatchObject({ code: 'build.spec-error', retryable: false });
    expect(outcome.message).toContain('%prep');
  });

  it('reports a failing %build as build.compile-error with the compiler error in the excerpt', async () => {
    const body = [
      '%build',
      "printf 'int main(void) { return undeclared_azl_symbol; }\\n' > broken.c",
      'gcc -c broken.c',
      '',
      '%files',
      '',
    ].join('\n');
    const outcome = failed(
      await builder.build(input({ component: 'nocompile', sourceDir: specOnly('nocompile', body) })),
    );
    expect(outcome).toMatchObject({ code: 'build.compile-error', retryable: false });
    expect(outcome.message).toMatch(/^%build failed: broken\.c:1:\d+: error: .*undeclared_azl_symbol/);
    // gcc quotes with ‘…’ in a UTF-8 locale, with '…' in C.
    expect(outcome.logExcerpt).toMatch(/.undeclared_azl_symbol. undeclared/);
    expect(outcome.logExcerpt.split('\n').length).toBeLessThanOrEqual(60);
  });

  it('stops a build at its time limit as build.timeout and leaves no process behind', async () => {
    const sleeper = ['sleep', '8765'];
    const body = `%build\n${sleeper.join(' ')}\n\n%files\n`;
    const workDir = fresh('sleepy-work');
    const outcome = failed(
      await builder.build(
        input({ component: 'sleepy', sourceDir: specOnly('sleepy', body), workDir, timeLimitMs: 1_500 }),
      ),
    );
    expect(outcome).toMatchObject({ code: 'build.timeout', retryable: false });
    expect(outcome.logExcerpt).toContain('sleep 8765');
    // rpmbuild and its %build shell name the work folder; the sleep they started is named by its arguments.
    expect(liveProcesses(sleeper)).toEqual([]);
    expect(liveProcesses(workDir)).toEqual([]);
  });

  it('stops a build when its signal aborts, as build.cancelled (the worker may try again)', async () => {
    const body = '%build\nsleep 8766\n\n%files\n';
    const workDir = fresh('cancelled-work');
    const controller = new AbortController();
    const build = builder.build(
      input({
        component: 'cancelled',
        sourceDir: specOnly('cancelled', body),
        workDir,
        signal: controller.signal,
      }),
    );
    setTimeout(() => controller.abort(), 500);
    const outcome = failed(await build);
    expect(outcome).toMatchObject({ code: 'build.cancelled', retryable: true });
    expect(liveProcesses(['sleep', '8766'])).toEqual([]);
    expect(liveProcesses(workDir)).toEqual([]);
  });

  it('reports an rpmbuild that cannot be started as build.not-started, retryable', async () => {
    const missing = new RpmbuildBuilder({ rpmbuildPath: join(root, 'no-such-rpmbuild') });
    const outcome = failed(
      await missing.build(input({ component: 'any', sourceDir: specOnly('any', '%files\n') })),
    );
    expect(outcome).toMatchObject({ code: 'build.not-started', retryable: true });
    expect(outcome.message).toContain('ENOENT');
  });
});

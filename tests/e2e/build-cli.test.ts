import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FixturePackage } from '../../infra/local/fedora-fixture';
import {
  archiveFolder,
  readFixturePackages,
  writeFixtureDistro,
  writeUpstreamFolder,
} from '../../infra/local/fedora-fixture';
import { runCli } from '../../testing/pipeline/cli-process';
import { useTempDir } from '../../testing/temp-dirs';
import { fixturePath } from '../../testing/fixtures/fixture-path';

const fixtureRoot = fixturePath('upstream');
const root = useTempDir('azl-build-cli-');
let distro: string;
let packages: Map<string, FixturePackage>;

beforeAll(() => {
  packages = new Map(readFixturePackages(fixtureRoot).map((p) => [p.name, p]));
  distro = writeFixtureDistro(join(root, 'distro'), {
    distGitBaseUri: 'file:///unused/rpms/$pkg.git',
    lookasideBaseUri: 'http://127.0.0.1:1/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename',
  });
});

interface Summary {
  state: string;
  component: string;
  nevras: string[];
  files: { path: string; sha256: string; size: number; kind: string }[];
  logPath?: string;
  code?: string;
  message?: string;
  logExcerpt?: string;
}

function upstreamOf(name: string): string {
  return writeUpstreamFolder(
    packages.get(name) as FixturePackage,
    join(root, `${name}-upstream-${Math.random().toString(36).slice(2)}`),
  );
}

async function build(component: string, upstream: string, out: string) {
  const run = runCli([
    'build',
    '--config',
    distro,
    '--component',
    component,
    '--upstream',
    upstream,
    '--out',
    out,
  ]);
  const code = await run.exited;
  const line = run
    .output()
    .split('\n')
    .find((l) => l.startsWith('{"state"'));
  if (line === undefined) throw new Error(`no JSON summary in:\n${run.output()}`);
  return { code, summary: JSON.parse(line) as Summary, output: run.output() };
}

describe('azl-rebuilder build', () => {
  it('renders and builds a component, copies its packages and log to --out, and prints each file with its sha256', async () => {
    const out = join(root, 'out-lib');
    const { code, summary, output } = await build('azl-hello-lib', upstreamOf('azl-hello-lib'), out);
    expect(code, output).toBe(0);
    expect(summary).toMatchObject({
      state: 'succeeded',
      component: 'azl-hello-lib',
      logPath: join(out, 'build.log'),
    });
    expect(summary.nevras.sort()).toEqual([
      'azl-hello-lib-1.0-3.azl4.src',
      'azl-hello-lib-1.0-3.azl4.x86_64',
      'azl-hello-lib-devel-1.0-3.azl4.x86_64',
    ]);
    expect(summary.files.map((f) => f.kind).sort()).toEqual(['log', 'rpm', 'rpm', 'srpm']);
    for (const file of summary.files) {
      const bytes = readFileSync(file.path);
      expect(file.path.startsWith(out)).toBe(true);
      expect(file.size).toBe(bytes.length);
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    expect(readdirSync(out).sort()).toEqual([
      'azl-hello-lib-1.0-3.azl4.src.rpm',
      'azl-hello-lib-1.0-3.azl4.x86_64.rpm',
      'azl-hello-lib-devel-1.0-3.azl4.x86_64.rpm',
      'build.log',
    ]);
  });

  it('exits 3 with state overlay-drift when an overlay no longer applies to the upstream spec, building nothing', async () => {
    const upstream = upstreamOf('azl-hello-tool');
    const spec = join(upstream, 'azl-hello-tool.spec');
    // Upstream changed the line the distro's spec-search-replace overlay edits.
    writeFileSync(
      spec,
      readFileSync(spec, 'utf8').replace(
        'BuildRequires:  azl-hello-lib-devel\n',
        'BuildRequires:  pkgconfig(azl-hello)\n',
      ),
    );
    const out = join(root, 'out-drift');
    const { code, summary } = await build('azl-hello-tool', upstream, out);
    expect(code).toBe(3);
    expect(summary).toMatchObject({ state: 'overlay-drift', code: 'overlay.drift', nevras: [], files: [] });
    expect(summary.message).toContain('azl-hello-lib-devel');
    expect(existsSync(out)).toBe(false);
  });

  it('exits 4 with state failed and the compiler error when the upstream code does not compile', async () => {
    const upstream = upstreamOf('azl-greeter');
    const sources = join(root, 'broken-greeter', 'azl-greeter-2.1');
    cpSync(join(fixtureRoot, 'azl-greeter', 'azl-greeter-2.1'), sources, { recursive: true });
    // Between the lines the two patches touch, so both still apply (%autosetup allows no fuzz).
    const code = join(sources, 'greeter.c');
    writeFileSync(
      code,
      readFileSync(code, 'utf8').replace(
        '\n\nint main',
        '\n#error broken on purpose by the test\n\nint main',
      ),
    );
    writeFileSync(join(upstream, 'azl-greeter-2.1.tar'), archiveFolder(sources, 'azl-greeter-2.1'));
    const out = join(root, 'out-broken');
    const result = await build('azl-greeter', upstream, out);
    const summary = result.summary;
    expect(result.code).toBe(4);
    expect(summary).toMatchObject({
      state: 'failed',
      code: 'build.compile-error',
      logPath: join(out, 'build.log'),
    });
    expect(summary.logExcerpt).toContain('broken on purpose by the test');
    expect(readFileSync(join(out, 'build.log'), 'utf8')).toContain('Bad exit status');
    expect(readdirSync(out)).toEqual(['build.log']);
  });
});

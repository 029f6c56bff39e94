import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildInput, BuildOutcome } from '../../../shared/build';
import { readRpmPackage } from '../../../shared/rpm';
import {
  readSyntheticSpec,
  SyntheticBuilder,
  syntheticBuildFails,
  syntheticSpecText,
} from '../../../infra/builders/synthetic';
import { tempDirForTest } from '../../../testing/temp-dirs';

const FINGERPRINT = `sha256:${'ab'.repeat(32)}`;
const fingerprint = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

function input(dir: string, spec: string, over: Partial<BuildInput> = {}): BuildInput {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'foo.spec'), spec);
  return {
    component: 'foo',
    fingerprint: FINGERPRINT,
    sourceDir: join(dir, 'src'),
    specFile: 'foo.spec',
    workDir: join(dir, 'build'),
    macros: { dist: '.azl4', vendor: 'Microsoft Corporation' },
    with: [],
    without: [],
    timeLimitMs: 60_000,
    ...over,
  };
}

const packagesOf = (outcome: BuildOutcome) =>
  outcome.state === 'succeeded' ? outcome.files.filter((f) => f.kind !== 'log') : [];
/** Plain `rpm -qp`: digests checked, as a user would run it. */
const rpm = (...args: string[]) => execFileSync('rpm', args, { encoding: 'utf8', stdio: 'pipe' }).trim();

describe('the synthetic builder', () => {
  const spec = syntheticSpecText('foo', '2026-12-06T12:05:01.123Z');

  it('writes a binary and a source RPM for the NEVR of its spec that rpm and the project reader read', async () => {
    const dir = tempDirForTest('synthetic-');
    const outcome = await new SyntheticBuilder({ buildMs: 0, failureRate: 0 }).build(input(dir, spec));
    expect(outcome.state).toBe('succeeded');
    const files = packagesOf(outcome);
    const srpm = files.find((f) => f.kind === 'srpm')?.path ?? '';
    const binary = files.find((f) => f.kind === 'rpm')?.path ?? '';
    expect(srpm.endsWith('/SRPMS/foo-1.0-20261206120501123.azl4.src.rpm')).toBe(true);
    expect(binary.endsWith('/RPMS/x86_64/foo-1.0-20261206120501123.azl4.x86_64.rpm')).toBe(true);

    const source = readRpmPackage(readFileSync(srpm));
    expect([source.name, source.version, source.release, source.isSource]).toEqual([
      'foo',
      '1.0',
      '20261206120501123.azl4',
      true,
    ]);
    const built = readRpmPackage(readFileSync(binary));
    expect([built.arch, built.isSource, built.sourceRpm]).toEqual([
      'x86_64',
      false,
      'foo-1.0-20261206120501123.azl4.src.rpm',
    ]);

    expect(rpm('-qp', binary)).toBe('foo-1.0-20261206120501123.azl4.x86_64');
    expect(rpm('-qp', '--qf', '%{SOURCERPM} %{ARCH}', binary)).toBe(
      'foo-1.0-20261206120501123.azl4.src.rpm x86_64',
    );
    // rpm names a source package by %{SOURCEPACKAGE} and the absence of SOURCERPM.
    expect(rpm('-qp', '--qf', '%{NAME}-%{VERSION}-%{RELEASE} %{SOURCEPACKAGE} %{SOURCERPM}', srpm)).toBe(
      'foo-1.0-20261206120501123.azl4 1 (none)',
    );
    expect(rpm('-K', '--nosignature', srpm, binary)).toMatch(
      /src\.rpm: digests OK\n.*x86_64\.rpm: digests OK$/,
    );
    expect(outcome.state === 'succeeded' && readFileSync(outcome.logPath, 'utf8')).toContain('wrote');
  });

  it('gives the same bytes for the same spec (a retry, a redelivery)', async () => {
    const builder = new SyntheticBuilder({ buildMs: 0, failureRate: 0 });
    const bytes = async () => {
      const outcome = await builder.build(input(tempDirForTest('synthetic-'), spec));
      return packagesOf(outcome).map((f) => readFileSync(f.path).toString('hex'));
    };
    expect(await bytes()).toEqual(await bytes());
  });

  it('honours BuildArch: noarch, and expands %{?dist} to nothing when the distro sets none', async () => {
    const dir = tempDirForTest('synthetic-');
    const noarch = `Name: foo\nVersion: 2.0\nRelease: 3%{?dist}\nBuildArch: noarch\n`;
    const outcome = await new SyntheticBuilder({ buildMs: 0, failureRate: 0 }).build(
      input(dir, noarch, { macros: {} }),
    );
    const names = packagesOf(outcome).map((f) => f.path.split('/').pop());
    expect(names.sort()).toEqual(['foo-2.0-3.noarch.rpm', 'foo-2.0-3.src.rpm']);
  });

  it('fails a spec without a literal NEVR as build.spec-error, and writes no package', async () => {
    const dir = tempDirForTest('synthetic-');
    const outcome = await new SyntheticBuilder({ buildMs: 0, failureRate: 0 }).build(
      input(dir, 'Name: foo\nVersion: %{upstream_version}\nRelease: 1\n'),
    );
    expect(outcome).toMatchObject({ state: 'failed', code: 'build.spec-error', retryable: false });
    expect(existsSync(join(dir, 'build', 'RPMS'))).toBe(false);
  });

  it('fails on purpose at failure rate 1, permanently, with the reason in the log', async () => {
    const dir = tempDirForTest('synthetic-');
    const outcome = await new SyntheticBuilder({ buildMs: 0, failureRate: 1 }).build(input(dir, spec));
    expect(outcome).toMatchObject({ state: 'failed', code: 'build.synthetic-failure', retryable: false });
    expect(outcome.state === 'failed' && outcome.logExcerpt).toContain('failure rate 1');
    expect(existsSync(join(dir, 'build', 'RPMS'))).toBe(false);
  });

  it('a cancelled build (its signal aborted while it waits) fails as build.cancelled, retryable', async () => {
    const dir = tempDirForTest('synthetic-');
    const abort = new AbortController();
    const building = new SyntheticBuilder({ buildMs: 60_000, failureRate: 0 }).build(
      input(dir, spec, { signal: abort.signal }),
    );
    abort.abort();
    expect(await building).toMatchObject({ state: 'failed', code: 'build.cancelled', retryable: true });
  });
});

describe('syntheticBuildFails', () => {
  it('fails about the given share of builds, deciding each build the same way every time', () => {
    const decide = (rate: number) =>
      Array.from({ length: 2000 }, (_, n) => syntheticBuildFails(`c${n % 7}`, fingerprint(n), rate));
    const first = decide(0.25);
    expect(decide(0.25)).toEqual(first);
    const failed = first.filter(Boolean).length;
    expect(failed).toBeGreaterThan(400);
    expect(failed).toBeLessThan(600);
    expect(decide(0).some(Boolean)).toBe(false);
    expect(decide(1).every(Boolean)).toBe(true);
  });

  it('decides per component and fingerprint: a higher rate fails a superset', () => {
    const builds = Array.from({ length: 500 }, (_, n) => [`c${n}`, FINGERPRINT] as const);
    const low = builds.filter(([c, f]) => syntheticBuildFails(c, f, 0.1));
    const high = builds.filter(([c, f]) => syntheticBuildFails(c, f, 0.5));
    expect(low.length).toBeGreaterThan(0);
    expect(high).toEqual(expect.arrayContaining(low));
  });
});

describe('the synthetic spec', () => {
  it("is the component's name, version 1.0, the request time's digits as release, and %{?dist}", () => {
    const text = syntheticSpecText('curl', '2026-12-06T12:05:01.123+00:00');
    expect(readSyntheticSpec(text, { dist: '.azl4' })).toEqual({
      name: 'curl',
      version: '1.0',
      release: '20261206120501123.azl4',
    });
  });

  it('orders a later request after an earlier one (rpm version order)', () => {
    const release = (at: string) => readSyntheticSpec(syntheticSpecText('x', at), {})?.release ?? '';
    const [a, b] = [release('2026-12-06T09:59:59.999Z'), release('2026-12-06T10:00:00.000Z')];
    const newer = rpm('--eval', `%{lua: print(rpm.vercmp("${b}", "${a}"))}`);
    expect(newer).toBe('1');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildOptionsOf } from '../shared/build/build-macros';
import { loadDistroTree, resolveComponent } from '../shared/distro';
import { FsDistroFiles } from '../infra/distro/fs-distro-files';
import { renderForBuild } from '../infra/builders/render-for-build';
import { RpmbuildBuilder } from '../infra/builders/rpmbuild';
import {
  defaultFixtureRoot,
  readFixturePackages,
  writeFixtureDistro,
  writeUpstreamFolder,
} from '../infra/local/fedora-fixture';
import { round } from '../testing/measure';

export interface PackageBuildTimes {
  /** Median over the rounds: the render (copy, overlays, downloads copied back). */
  readonly renderMs: number;
  /** Median over the rounds: `rpmbuild -ba` wall time, topdir layout and log classification included. */
  readonly rpmbuildMs: number;
}

export interface LocalBuildTimes {
  readonly rounds: number;
  readonly packages: Record<string, PackageBuildTimes>;
}

/**
 * Renders and builds each upstream fixture package (tests/fixtures/upstream) `rounds` times with the local
 * rpmbuild builder, and reports the median render and rpmbuild times per package: the baseline the build
 * worker's overhead is measured against.
 */
export async function measureLocalBuild(rounds = 3): Promise<LocalBuildTimes> {
  const root = mkdtempSync(join(tmpdir(), 'azl-bench-build-'));
  try {
    const distro = writeFixtureDistro(join(root, 'distro'), {
      distGitBaseUri: 'file:///unused/rpms/$pkg.git',
      lookasideBaseUri: 'http://127.0.0.1:1/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename',
    });
    const tree = loadDistroTree(new FsDistroFiles(), distro);
    const builder = new RpmbuildBuilder();
    const packages: Record<string, PackageBuildTimes> = {};
    for (const pkg of readFixturePackages(defaultFixtureRoot())) {
      const options = buildOptionsOf(tree, resolveComponent(tree, pkg.name));
      const render: number[] = [];
      const build: number[] = [];
      for (let i = 0; i < rounds; i++) {
        const dir = join(root, `${pkg.name}-${i}`);
        const upstream = writeUpstreamFolder(pkg, join(dir, 'upstream'));
        let started = performance.now();
        await renderForBuild({ config: distro, component: pkg.name, upstream, out: join(dir, 'rendered') });
        render.push(performance.now() - started);
        started = performance.now();
        const outcome = await builder.build({
          component: pkg.name,
          fingerprint: 'bench',
          sourceDir: join(dir, 'rendered'),
          specFile: `${pkg.name}.spec`,
          workDir: join(dir, 'work'),
          ...options,
          timeLimitMs: 300_000,
        });
        build.push(performance.now() - started);
        if (outcome.state !== 'succeeded') throw new Error(`${pkg.name}: ${outcome.code} ${outcome.message}`);
      }
      packages[pkg.name] = { renderMs: round(median(render), 1), rpmbuildMs: round(median(build), 1) };
    }
    return { rounds, packages };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixturePackage } from '../../infra/local/fedora-fixture';

/** Fixed identity, no user or system git configuration (as the fixture's own dist-git). */
const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Bench Packager',
  GIT_AUTHOR_EMAIL: 'bench@example.org',
  GIT_COMMITTER_NAME: 'Bench Packager',
  GIT_COMMITTER_EMAIL: 'bench@example.org',
};

export interface FixtureRelease {
  readonly name: string;
  readonly version: string;
  /** Koji's release, e.g. `12.fc43` (the spec says `12%{?dist}`). */
  readonly release: string;
  readonly commit: string;
}

/**
 * Commits a new release of a fixture package to its bare dist-git repository (`<distGitRoot>/rpms/<name>.git`,
 * branch `branch`): the spec's `Release:` becomes `<number>%{?dist}` with a changelog entry, as a packager's
 * bump would. The branch head moves, so the next build of the component builds (and publishes) new RPMs.
 */
export function commitRelease(
  distGitRoot: string,
  pkg: FixturePackage,
  branch: string,
  number: number,
): FixtureRelease {
  const specName = `${pkg.name}.spec`;
  const spec = pkg.distGitFiles.get(specName)?.toString('utf8');
  if (spec === undefined) throw new Error(`fixture package ${pkg.name} has no ${specName}`);
  const version = /^Version:\s+(\S+)/m.exec(spec)?.[1] ?? '0';
  const bumped = spec
    .replace(/^Release:\s+\S+/m, `Release:        ${number}%{?dist}`)
    .replace(
      /^%changelog\n/m,
      `%changelog\n* Sun Mar 01 2026 Bench Packager <bench@example.org> - ${version}-${number}\n- Rebuild (benchmark)\n\n`,
    );
  const gitDir = join(distGitRoot, 'rpms', `${pkg.name}.git`);
  const work = mkdtempSync(join(tmpdir(), `azl-bench-release-${pkg.name}-`));
  try {
    for (const [path, content] of pkg.distGitFiles) writeFileSync(join(work, path), content);
    writeFileSync(join(work, specName), bumped);
    const git = (args: string[]): string =>
      execFileSync('git', ['--git-dir', gitDir, '--work-tree', work, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...GIT_ENV },
      }).trim();
    git(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
    git(['add', '--all']);
    git(['commit', '--quiet', '--message', `${version}-${number} (benchmark)`]);
    return { name: pkg.name, version, release: `${number}.fc43`, commit: git(['rev-parse', 'HEAD']) };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

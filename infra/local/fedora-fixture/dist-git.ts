import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FixturePackage } from './fixture-package';

/** Fixed identity and date, and no user or system git configuration: the same commit ids everywhere. */
const GIT_ENV = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Fixture Packager',
  GIT_AUTHOR_EMAIL: 'fixture@example.org',
  GIT_COMMITTER_NAME: 'Fixture Packager',
  GIT_COMMITTER_EMAIL: 'fixture@example.org',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

/**
 * Writes `<root>/rpms/<name>.git`, a bare repository whose `branch` holds one commit with the package's
 * dist-git files (spec, `sources`, patches), as Fedora's dist-git does. Returns the commit id.
 */
export function writeDistGitRepository(root: string, pkg: FixturePackage, branch: string): string {
  const gitDir = join(root, 'rpms', `${pkg.name}.git`);
  const work = mkdtempSync(join(tmpdir(), `azl-fixture-${pkg.name}-`));
  try {
    for (const [path, content] of pkg.distGitFiles) writeFileSync(join(work, path), content);
    mkdirSync(gitDir, { recursive: true });
    const git = (args: string[]): string =>
      execFileSync('git', ['--git-dir', gitDir, '--work-tree', work, ...args], {
        encoding: 'utf8',
        env: { ...process.env, ...GIT_ENV },
      }).trim();
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch', branch, gitDir], {
      env: { ...process.env, ...GIT_ENV },
    });
    git(['add', '--all']);
    git(['commit', '--quiet', '--message', `Import ${pkg.name} (azl-rebuilder fixture)`]);
    return git(['rev-parse', 'HEAD']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The `dist-git-base-uri` for repositories written under `root`. */
export const distGitTemplate = (root: string): string => `file://${join(root, 'rpms')}/$pkg.git`;

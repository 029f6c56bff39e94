import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A commit to make in a fixture repository: files to write (others stay as they were). */
export interface FixtureCommit {
  readonly date: string;
  readonly files: Record<string, string | Buffer>;
  readonly message: string;
  /** Symbolic links to commit: path → link target. */
  readonly symlinks?: Record<string, string>;
}

/**
 * Builds `<root>/rpms/<name>.git`, a bare repository whose `branch` holds `commits` in order, each committed
 * (author and committer) at its ISO date. Returns the full commit ids in the same order.
 */
export function buildBareRepo(
  root: string,
  name: string,
  branch: string,
  commits: readonly FixtureCommit[],
): string[] {
  const work = join(root, 'work', name);
  mkdirSync(work, { recursive: true });
  const git = (args: string[], date?: string): string =>
    execFileSync('git', args, {
      cwd: work,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_CONFIG_GLOBAL: '/dev/null',
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_AUTHOR_NAME: 'Fixture',
        GIT_AUTHOR_EMAIL: 'fixture@example.org',
        GIT_COMMITTER_NAME: 'Fixture',
        GIT_COMMITTER_EMAIL: 'fixture@example.org',
        ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
      },
    }).trim();
  git(['init', '--quiet', '--initial-branch', branch]);
  const ids: string[] = [];
  for (const commit of commits) {
    for (const [path, content] of Object.entries(commit.files)) {
      mkdirSync(join(work, path, '..'), { recursive: true });
      writeFileSync(join(work, path), content);
    }
    for (const [path, target] of Object.entries(commit.symlinks ?? {})) symlinkSync(target, join(work, path));
    git(['add', '--all']);
    git(['commit', '--quiet', '--message', commit.message], commit.date);
    ids.push(git(['rev-parse', 'HEAD']));
  }
  mkdirSync(join(root, 'rpms'), { recursive: true });
  execFileSync('git', ['clone', '--quiet', '--bare', work, join(root, 'rpms', `${name}.git`)], {
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
  return ids;
}

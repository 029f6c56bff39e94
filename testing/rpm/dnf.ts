import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The real `dnf repoquery` on the repository at `baseUrl` (and nothing else: no system repositories, a
 * fresh cache removed afterwards, an unavailable repository is an error), with `args`: its lines, sorted.
 */
export function repoquery(baseUrl: string, ...args: string[]): string[] {
  const cache = mkdtempSync(join(tmpdir(), 'azl-dnf-cache-'));
  try {
    return execFileSync(
      'dnf',
      [
        '-q',
        `--repofrompath=azl,${baseUrl}`,
        '--repo=azl',
        '--releasever=4.0',
        '--setopt=reposdir=/dev/null',
        '--setopt=skip_if_unavailable=False',
        `--setopt=cachedir=${cache}`,
        'repoquery',
        ...args,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
      .split('\n')
      .filter(Boolean)
      .sort();
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * The real `dnf repoquery` with `reposDir` as its only repository configuration: the repositories the `.repo`
 * files in it define, as a user who dropped them into `/etc/yum.repos.d/` would get (a fresh cache removed
 * afterwards, an unavailable repository is an error). Its lines, sorted.
 */
export function repoqueryWithReposDir(reposDir: string, ...args: string[]): string[] {
  const cache = mkdtempSync(join(tmpdir(), 'azl-dnf-cache-'));
  try {
    return execFileSync(
      'dnf',
      [
        '-q',
        '--releasever=4.0',
        `--setopt=reposdir=${reposDir}`,
        `--setopt=cachedir=${cache}`,
        'repoquery',
        ...args,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
      .split('\n')
      .filter(Boolean)
      .sort();
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
}

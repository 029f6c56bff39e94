import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommitChoice } from '../../../shared/sources/commit-choice';
import { checkoutDistGit } from '../../../infra/sources/dist-git-checkout';
import { buildBareRepo } from '../../../testing/sources/bare-repo';
import { useTempDir } from '../../../testing/temp-dirs';

const root = useTempDir('azl-checkout-test-');
let ids: string[];
let n = 0;

beforeAll(() => {
  ids = buildBareRepo(
    root,
    'pkg',
    'rawhide',
    ['2026-01-01T00:00:00Z', '2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z'].map((date, index) => ({
      date,
      message: `c${index}`,
      files: { 'pkg.spec': `Release: ${index}\n` },
    })),
  );
});

/** Checks out, then counts the commits the scratch repository holds (1 = a shallow fetch). */
async function checkout(choice: CommitChoice): Promise<{ commit: string; spec: string; fetched: number }> {
  n += 1;
  const gitDir = join(root, `git${n}`);
  const workTree = join(root, `tree${n}`);
  mkdirSync(gitDir);
  mkdirSync(workTree);
  const url = `file://${root}/rpms/pkg.git`;
  const commit = await checkoutDistGit({
    url,
    branch: 'rawhide',
    choice,
    gitDir,
    workTree,
    timeoutMs: 10_000,
  });
  const all = execFileSync('git', ['--git-dir', gitDir, 'rev-list', '--all', '--count'], {
    encoding: 'utf8',
  });
  return { commit, spec: readFileSync(join(workTree, 'pkg.spec'), 'utf8'), fetched: Number(all.trim()) };
}

describe('checkoutDistGit', () => {
  it('fetches exactly the event commit, shallow', async () => {
    expect(await checkout({ kind: 'event', commit: ids[1] ?? '' })).toEqual({
      commit: ids[1],
      spec: 'Release: 1\n',
      fetched: 1,
    });
  });

  it('fetches only the branch tip for head', async () => {
    expect(await checkout({ kind: 'head' })).toEqual({ commit: ids[2], spec: 'Release: 2\n', fetched: 1 });
  });

  it('resolves a snapshot and an abbreviated pin in the branch history', async () => {
    const snapshot = await checkout({ kind: 'snapshot', before: new Date('2026-01-02T12:00:00Z') });
    expect(snapshot).toMatchObject({ commit: ids[1], spec: 'Release: 1\n' });
    const pin = await checkout({ kind: 'pin', commit: ids[0]?.slice(0, 8) ?? '' });
    expect(pin).toMatchObject({ commit: ids[0], spec: 'Release: 0\n' });
  });

  it('takes a snapshot exactly at a commit time as including that commit', async () => {
    const at = await checkout({ kind: 'snapshot', before: new Date('2026-01-02T00:00:00Z') });
    expect(at.commit).toBe(ids[1]);
  });
});

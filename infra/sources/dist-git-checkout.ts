import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import type { CommitChoice } from '../../shared/sources/commit-choice';
import { sourcesPermanent } from '../../shared/sources/source-errors';
import { classifyGitFailure } from './git-errors';
import { runGit } from './git-runner';

export interface CheckoutRequest {
  /** A validated dist-git URL (see validateFetchUrl). */
  readonly url: string;
  /** A validated branch name. */
  readonly branch: string;
  readonly choice: CommitChoice;
  /** An empty bare repository directory used as scratch (the caller removes it). */
  readonly gitDir: string;
  /** Where the files of the commit are written (the sources folder). */
  readonly workTree: string;
  readonly timeoutMs: number;
  readonly gitPath?: string;
}

/**
 * Fetches as little as possible and checks the chosen commit out into `workTree`; returns its full id.
 *
 * - event/pin with a full id: `fetch --depth=1 origin <sha>` (servers allow it with protocol v2 or
 *   allowReachableSHA1InWant); if the server refuses the id, the branch is fetched and the id looked up there;
 * - abbreviated id, snapshot: the branch is fetched blob-less (`--filter=blob:none`, partial clone; servers
 *   without filter support send everything) and resolved locally (`rev-list -1 --first-parent --before=`);
 * - head: `fetch --depth=1` of the branch.
 *
 * A missing branch or commit, or no commit before the snapshot, is `sources.unknown-ref` (permanent).
 */
export async function checkoutDistGit(request: CheckoutRequest): Promise<string> {
  const place: ErrorContext = { repository: request.url, branch: request.branch };
  const git = async (operation: string, args: string[]): Promise<string> => {
    const result = await runGit(['--git-dir', request.gitDir, ...args], request);
    if (result.code !== 0) throw classifyGitFailure(result, operation, place);
    return result.stdout.trim();
  };
  const branchRef = `refs/remotes/origin/${request.branch}`;
  const fetchBranch = (depth: string[]) =>
    git('fetch', [
      'fetch',
      '--quiet',
      '--no-tags',
      ...depth,
      'origin',
      `+refs/heads/${request.branch}:${branchRef}`,
    ]);
  const unknown = (what: string) =>
    sourcesPermanent('sources.unknown-ref', `${what} not found in ${request.url} (${request.branch})`, {
      ...place,
      ref: what,
    });
  const resolve = async (commit: string): Promise<string> => {
    const result = await runGit(
      [
        '--git-dir',
        request.gitDir,
        'rev-parse',
        '--quiet',
        '--verify',
        '--end-of-options',
        `${commit}^{commit}`,
      ],
      request,
    );
    if (result.code !== 0) throw unknown(commit);
    return result.stdout.trim();
  };

  await git('init', ['init', '--quiet', '--bare']);
  await git('remote', ['remote', 'add', 'origin', request.url]);
  let commit: string;
  const { choice } = request;
  if (choice.kind === 'event' || choice.kind === 'pin') {
    commit = await fetchCommit(choice.commit, git, fetchBranch, resolve);
  } else if (choice.kind === 'snapshot') {
    await fetchBranch(['--filter=blob:none']);
    const before = choice.before.toISOString();
    const found = await git('rev-list', [
      'rev-list',
      '-1',
      '--first-parent',
      `--before=${before}`,
      branchRef,
    ]);
    if (found === '') throw unknown(`commit before ${before}`);
    commit = found;
  } else {
    await fetchBranch(['--depth=1']);
    commit = await resolve(branchRef);
  }
  await git('checkout', [
    '--work-tree',
    request.workTree,
    'checkout',
    '--quiet',
    '--force',
    '--detach',
    commit,
  ]);
  return commit;
}

async function fetchCommit(
  wanted: string,
  git: (operation: string, args: string[]) => Promise<string>,
  fetchBranch: (depth: string[]) => Promise<string>,
  resolve: (commit: string) => Promise<string>,
): Promise<string> {
  if (wanted.length === 40) {
    try {
      await git('fetch', ['fetch', '--quiet', '--no-tags', '--depth=1', 'origin', wanted]);
      return await resolve(wanted);
    } catch (error) {
      // Not served by id (old server or unknown): look in the branch history before giving up.
      if (!PipelineError.is(error, 'sources.unknown-ref')) throw error;
    }
  }
  await fetchBranch(['--filter=blob:none']);
  return resolve(wanted);
}

import { PipelineError } from '../../shared/errors';
import type { CommitChoice } from '../../shared/sources/commit-choice';
import { GitScratch } from './git-scratch';

export interface CheckoutRequest {
  /** A validated dist-git URL (see validateFetchUrl). */
  readonly url: string;
  /** A validated branch name. */
  readonly branch: string;
  readonly choice: CommitChoice;
  /** An empty directory for the scratch bare repository (the caller removes it). */
  readonly gitDir: string;
  /** Where the files of the commit are written (the sources folder). */
  readonly workTree: string;
  readonly timeoutMs: number;
  readonly gitPath?: string;
}

/**
 * Fetches as little as possible and checks the chosen commit out into `workTree`; returns its full id.
 *
 * - event/pin with a full id: only that commit, shallow (servers allow it with protocol v2 or
 *   allowReachableSHA1InWant); if the server refuses the id, the branch history is searched instead;
 * - abbreviated id, snapshot: the branch history, blob-less (partial clone; a server without filter support
 *   sends everything), resolved locally;
 * - head: the branch tip, shallow.
 *
 * A missing branch or commit, or no commit before the snapshot, is `sources.unknown-ref` (permanent).
 */
export async function checkoutDistGit(request: CheckoutRequest): Promise<string> {
  const run = { timeoutMs: request.timeoutMs, ...(request.gitPath ? { gitPath: request.gitPath } : {}) };
  const repo = new GitScratch(request.gitDir, request.url, request.branch, run);
  await repo.init();
  const commit = await chosenCommit(repo, request.choice);
  await repo.checkout(commit, request.workTree);
  return commit;
}

async function chosenCommit(repo: GitScratch, choice: CommitChoice): Promise<string> {
  switch (choice.kind) {
    case 'event':
    case 'pin':
      return fetchById(repo, choice.commit);
    case 'snapshot':
      await repo.fetchBranch('history');
      return repo.lastBefore(choice.before);
    case 'head':
      await repo.fetchBranch('tip');
      return repo.resolve(repo.branchRef);
  }
}

async function fetchById(repo: GitScratch, commit: string): Promise<string> {
  if (commit.length === 40) {
    try {
      await repo.fetchCommit(commit);
      return await repo.resolve(commit);
    } catch (error) {
      // Not served by id (an older server, or a commit that is gone): search the branch before giving up.
      if (!PipelineError.is(error, 'sources.unknown-ref')) throw error;
    }
  }
  await repo.fetchBranch('history');
  return repo.resolve(commit);
}

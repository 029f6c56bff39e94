import type { ErrorContext, PipelineError } from '../../shared/errors';
import { sourcesPermanent } from '../../shared/sources/source-errors';
import { classifyGitFailure } from './git-errors';
import type { GitRunOptions } from './git-runner';
import { runGit } from './git-runner';

/**
 * A scratch bare repository with one remote, `origin`: the git operations source preparation needs, each a
 * single git run with an argument array. Every value placed in an argument (URL, branch, commit) has been
 * validated by the caller; `--end-of-options` guards the one place a revision is parsed.
 */
export class GitScratch {
  private readonly place: ErrorContext;

  constructor(
    private readonly gitDir: string,
    private readonly url: string,
    private readonly branch: string,
    private readonly run: GitRunOptions,
  ) {
    this.place = { repository: url, branch };
  }

  /** Where the fetched branch is kept. */
  get branchRef(): string {
    return `refs/remotes/origin/${this.branch}`;
  }

  async init(): Promise<void> {
    await this.git('init', ['init', '--quiet', '--bare']);
    await this.git('remote', ['remote', 'add', 'origin', this.url]);
  }

  /** Fetches the branch: `--depth=1` for its tip only, or blob-less history (partial clone) for lookups. */
  async fetchBranch(mode: 'tip' | 'history'): Promise<void> {
    const depth = mode === 'tip' ? '--depth=1' : '--filter=blob:none';
    const refspec = `+refs/heads/${this.branch}:${this.branchRef}`;
    await this.git('fetch', ['fetch', '--quiet', '--no-tags', depth, 'origin', refspec]);
  }

  /** Fetches exactly one commit by its full id, shallow. */
  async fetchCommit(commit: string): Promise<void> {
    await this.git('fetch', ['fetch', '--quiet', '--no-tags', '--depth=1', 'origin', commit]);
  }

  /** The full id of a revision present locally, else `sources.unknown-ref`. */
  async resolve(revision: string): Promise<string> {
    const args = ['rev-parse', '--quiet', '--verify', '--end-of-options', `${revision}^{commit}`];
    const result = await runGit(['--git-dir', this.gitDir, ...args], this.run);
    if (result.code !== 0) throw this.unknown(revision);
    return result.stdout.trim();
  }

  /** The last first-parent commit of the fetched branch committed at or before `before` (as azldev does). */
  async lastBefore(before: Date): Promise<string> {
    const iso = before.toISOString();
    const args = ['rev-list', '-1', '--first-parent', `--before=${iso}`, this.branchRef];
    const found = await this.git('rev-list', args);
    if (found === '') throw this.unknown(`commit before ${iso}`);
    return found;
  }

  /** Writes the files of `commit` into `workTree` (blobs of a partial clone are fetched on demand). */
  async checkout(commit: string, workTree: string): Promise<void> {
    await this.git('checkout', [
      '--work-tree',
      workTree,
      'checkout',
      '--quiet',
      '--force',
      '--detach',
      commit,
    ]);
  }

  unknown(what: string): PipelineError {
    const message = `${what} not found in ${this.url} (${this.branch})`;
    return sourcesPermanent('sources.unknown-ref', message, { ...this.place, ref: what });
  }

  private async git(operation: string, args: string[]): Promise<string> {
    const result = await runGit(['--git-dir', this.gitDir, ...args], this.run);
    if (result.code !== 0) throw classifyGitFailure(result, operation, this.place);
    return result.stdout.trim();
  }
}

import { z } from 'zod';
import { branchName, commitSha, packageName } from './identifiers';
import { releaseFromBranch } from './release-mapping';
import type { TopicContext, Verdict } from './verdict';
import { accepted, ignored, parseThen } from './verdict';

/**
 * Dist-git pushes. Two messages describe them: `git.receive` (one per commit, from the dist-git hook;
 * fedora-messaging-git-hook-messages `CommitV1`) and `pagure.git.receive` (one per push, from Pagure, which
 * serves src.fedoraproject.org). Only the `rpms` namespace holds package sources; other namespaces
 * (`container`, `modules`, `flatpaks`, the infra ansible repo that shares the topic) are ignored.
 */

/** `git.receive`: `{agent, commit{repo, namespace, branch, rev, …}}` (fedmsg-era records: agent in commit). */
export const gitReceiveBody = z.looseObject({
  commit: z.looseObject({
    repo: packageName,
    namespace: z.string().max(64).nullable().optional(),
    branch: branchName,
    rev: commitSha,
    /** True when the same rev was already announced for another branch of the same push. */
    seen: z.boolean().optional(),
  }),
});

/** `pagure.git.receive`: `{repo{name, namespace, …}, branch, start_commit, end_commit, total_commits, …}`. */
export const pagureGitReceiveBody = z.looseObject({
  repo: z.looseObject({
    name: packageName,
    namespace: z.string().max(64).nullable().optional(),
  }),
  branch: branchName,
  start_commit: commitSha.optional(),
  end_commit: commitSha,
  total_commits: z.number().int().nonnegative().optional(),
  forced: z.boolean().optional(),
});

const outsideRpms = (namespace: string | null | undefined): Verdict | undefined =>
  namespace === 'rpms'
    ? undefined
    : ignored(
        namespace === undefined || namespace === null
          ? 'dist-git push outside a namespace (only rpms/ is handled)'
          : `dist-git namespace "${namespace}" is not rpms`,
      );

export function gitReceive(body: unknown, context: TopicContext): Verdict {
  return parseThen(gitReceiveBody, body, ({ commit }) => {
    const skip = outsideRpms(commit.namespace);
    if (skip !== undefined) return skip;
    return accepted({
      kind: 'dist-git-push',
      packages: [commit.repo],
      builds: [],
      branch: commit.branch,
      release: releaseFromBranch(commit.branch, context.options),
      commit: commit.rev,
    });
  });
}

export function pagureGitReceive(body: unknown, context: TopicContext): Verdict {
  return parseThen(pagureGitReceiveBody, body, (push) => {
    const skip = outsideRpms(push.repo.namespace);
    if (skip !== undefined) return skip;
    // Pagure strips `refs/heads/`; old records kept it.
    const branch = push.branch.startsWith('refs/heads/')
      ? push.branch.slice('refs/heads/'.length)
      : push.branch;
    return accepted({
      kind: 'dist-git-push',
      packages: [push.repo.name],
      builds: [],
      branch,
      release: releaseFromBranch(branch, context.options),
      // Pagure lists the pushed commits oldest first: `end_commit` is the new head of the branch.
      commit: push.end_commit,
    });
  });
}

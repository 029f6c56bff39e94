import { dnfRepoqueryCommand } from './dnf-command';
import { repoFileHref } from './repo-file';

/**
 * What a person needs to use one published repository, computed in one place so the status API
 * (`GET /api/repos`), the `repo.published` event, `repo publish`'s summary and the demo all say the same:
 * the base URL dnf reads, the URL of the `.repo` file the publisher stores beside `repodata/`, and a `dnf`
 * command that lists the packages with no system configuration.
 */
export interface RepositoryAccess {
  /** The repository root, with a trailing `/` (dnf's `baseurl`). */
  readonly baseUrl: string;
  /** The `.repo` file to drop into `/etc/yum.repos.d/` (or any `reposdir`). */
  readonly repoFileUrl: string;
  /** `dnf … repoquery` against `baseUrl`, ready to paste into a shell. */
  readonly dnf: string;
}

export function repositoryAccess(repository: string, baseUrl: string): RepositoryAccess {
  const root = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    baseUrl: root,
    repoFileUrl: `${root}${repoFileHref(repository)}`,
    dnf: dnfRepoqueryCommand(root),
  };
}

/**
 * The `.repo` file users drop into `/etc/yum.repos.d/` for one repository. `baseUrl` is the repository's
 * public blob URL (`https://<account>.blob.core.windows.net/<container>/<repository>/`). Packages are not
 * signed yet, so `gpgcheck=0`; `metadata_expire` is short because the repository changes with every build.
 */
export function repoFileContent(repository: string, baseUrl: string): string {
  const id = repoSectionId(repository);
  return [
    `[${id}]`,
    `name=Azure Linux rebuild ${repository}`,
    `baseurl=${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}`,
    'enabled=1',
    'gpgcheck=0',
    'repo_gpgcheck=0',
    'metadata_expire=5m',
    'skip_if_unavailable=False',
    '',
  ].join('\n');
}

/** `azl-base-x86_64` for `base/x86_64`: a section id dnf accepts. */
export function repoSectionId(repository: string): string {
  return `azl-${repository.replace(/[^A-Za-z0-9_.-]/g, '-')}`;
}

/**
 * The `.repo` file's name relative to the repository root, `<section id>.repo` (`azl-base-x86_64.repo`):
 * unique across repositories, so the files of several repositories can share one `reposdir`.
 */
export function repoFileHref(repository: string): string {
  return `${repoSectionId(repository)}.repo`;
}

/** Where the `.repo` file is stored beside the repository's `repodata/`: `<repository>/<section id>.repo`. */
export function repoFileName(repository: string): string {
  return `${repository}/${repoFileHref(repository)}`;
}

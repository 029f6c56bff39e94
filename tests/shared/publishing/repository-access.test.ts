import { describe, expect, test } from 'vitest';
import { repoFileContent, repositoryAccess } from '../../../shared/publishing';

const ACCOUNT = 'https://azlpub.blob.core.windows.net/repos';

describe('repositoryAccess', () => {
  test('gives the base URL with its slash, the .repo file beside repodata/, and a dnf command on the base URL', () => {
    expect(repositoryAccess('base/debuginfo/x86_64', `${ACCOUNT}/base/debuginfo/x86_64`)).toEqual({
      baseUrl: `${ACCOUNT}/base/debuginfo/x86_64/`,
      repoFileUrl: `${ACCOUNT}/base/debuginfo/x86_64/azl-base-debuginfo-x86_64.repo`,
      dnf:
        `dnf --repofrompath=azl,${ACCOUNT}/base/debuginfo/x86_64/ --repo=azl --releasever=4.0` +
        ' --setopt=reposdir=/dev/null --nogpgcheck --setopt=cachedir=$(mktemp -d) repoquery',
    });
  });

  test('the same repository with or without the trailing slash is answered alike', () => {
    expect(repositoryAccess('base/srpms', `${ACCOUNT}/base/srpms/`)).toEqual(
      repositoryAccess('base/srpms', `${ACCOUNT}/base/srpms`),
    );
  });

  test('the .repo file it points to names the same base URL', () => {
    const access = repositoryAccess('sdk/aarch64', `${ACCOUNT}/sdk/aarch64`);
    expect(repoFileContent('sdk/aarch64', access.baseUrl)).toContain(`baseurl=${access.baseUrl}\n`);
  });
});

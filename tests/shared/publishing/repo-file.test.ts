import { describe, expect, test } from 'vitest';
import { repoFileContent, repoFileName } from '../../../shared/publishing';

describe('.repo file', () => {
  test('names the repository and points baseurl at its blob URL', () => {
    const text = repoFileContent(
      'base/debuginfo/x86_64',
      'http://127.0.0.1:10000/devstoreaccount1/repos/base/debuginfo/x86_64',
    );
    expect(text.split('\n')).toEqual(
      expect.arrayContaining([
        '[azl-base-debuginfo-x86_64]',
        'baseurl=http://127.0.0.1:10000/devstoreaccount1/repos/base/debuginfo/x86_64/',
        'enabled=1',
        'gpgcheck=0',
      ]),
    );
    expect(repoFileName('sdk/aarch64')).toBe('sdk/aarch64/azl-sdk-aarch64.repo');
    // Unique per repository, so the files of a channel's repositories can share one reposdir.
    expect(repoFileName('sdk/debuginfo/aarch64')).toBe(
      'sdk/debuginfo/aarch64/azl-sdk-debuginfo-aarch64.repo',
    );
  });
});

import { describe, expect, test } from 'vitest';
import { kiwiBuildCommand, kiwiRepoAlias } from '../../../shared/images/kiwi-build-command';
import { thrownPipelineError } from '../../../testing/failures';

const repositories = [
  { repository: 'base/x86_64', revision: 4, baseUrl: 'https://st.blob.core.windows.net/repos/base/x86_64/' },
  {
    repository: 'base/noarch',
    revision: 2,
    baseUrl: 'http://127.0.0.1:10000/devstoreaccount1/repos/base/noarch/',
  },
];

describe('the kiwi-ng command line of a cloud image build', () => {
  test("ignores the description's repositories and adds the pipeline's, in priority order", () => {
    expect(
      kiwiBuildCommand({
        descriptionDir: '/srv/distro/base/images/vm-base',
        targetDir: '/var/tmp/out',
        profiles: [],
        repositories,
      }),
    ).toEqual([
      'kiwi-ng',
      'system',
      'build',
      '--description',
      '/srv/distro/base/images/vm-base',
      '--target-dir',
      '/var/tmp/out',
      '--ignore-repos',
      '--add-repo',
      'https://st.blob.core.windows.net/repos/base/x86_64/,rpm-md,azl-base-x86_64,1',
      '--add-repo',
      'http://127.0.0.1:10000/devstoreaccount1/repos/base/noarch/,rpm-md,azl-base-noarch,2',
    ]);
  });

  test('puts each profile before `system build`, where kiwi-ng reads its global options', () => {
    const command = kiwiBuildCommand({
      descriptionDir: 'd',
      targetDir: 't',
      profiles: ['distroless-base', 'debug'],
      repositories: repositories.slice(0, 1),
    });
    expect(command.slice(0, 5)).toEqual([
      'kiwi-ng',
      '--profile=distroless-base',
      '--profile=debug',
      'system',
      'build',
    ]);
  });

  test('refuses a URL with a comma, which kiwi-ng would split into other fields', () => {
    const error = thrownPipelineError(
      () =>
        kiwiBuildCommand({
          descriptionDir: 'd',
          targetDir: 't',
          profiles: [],
          repositories: [{ repository: 'base/x86_64', revision: 1, baseUrl: 'https://example.test/a,b/' }],
        }),
      'image.repository-url-invalid',
    );
    expect(error.retryable).toBe(false);
    expect(error.context).toMatchObject({ repository: 'base/x86_64' });
  });

  test.each([
    ['base/x86_64', 'azl-base-x86_64'],
    ['base/debuginfo/aarch64', 'azl-base-debuginfo-aarch64'],
    ['extras/srpms', 'azl-extras-srpms'],
    ['a b:c', 'azl-a-b-c'],
  ])('the alias of %s is the dnf repo id %s', (id, alias) => {
    expect(kiwiRepoAlias(id)).toBe(alias);
    expect(alias).toMatch(/^[\w.-]+$/);
  });
});

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { composePublisher } from '../../../infra/publishing';
import type { RepositoryContainers } from '../../../infra/publishing';
import { RepositoryStatusReader } from '../../../infra/status/repository-status-reader';
import { repositoryAccess } from '../../../shared/publishing';
import type { PipelineEvent } from '../../../shared/events';
import { useAzurite } from '../../../testing/azurite';
import { repoquery, repoqueryWithReposDir } from '../../../testing/rpm/dnf';
import { publishRequest, stageGenerated } from '../../../testing/rpm/published-repository';
import { tempDirForTest } from '../../../testing/temp-dirs';

/**
 * Item 8 of issue 19: the status API, `repo.published` and the publish outcome tell a user how to use each
 * repository, all from `repositoryAccess`, and what they say works with the real dnf.
 */
describe('how to use a published repository', () => {
  const azurite = useAzurite();
  const { blobs, tables } = azurite;
  let containers: RepositoryContainers;
  let events: PipelineEvent[];

  beforeEach(async () => {
    containers = {
      repositories: azurite.name('repos'),
      state: azurite.name('state'),
      artifacts: azurite.name('art'),
    };
    await blobs.ensureContainer(containers.artifacts);
    events = [];
  });

  const publisher = () =>
    composePublisher(
      { blobs, tables, events: { publish: (list) => Promise.resolve(void events.push(...list)) } },
      { containers, pendingTable: azurite.name('pq') },
    );
  const stage = (name: string, arch: string) =>
    stageGenerated(blobs, containers.artifacts, { name, version: '1.0', release: '1.azl4', arch });

  test('the API, the event and the outcome agree on the base URL, the .repo file URL and the dnf command', async () => {
    const { publisher: p, store } = publisher();
    const outcome = await p.publish(publishRequest('base/x86_64', [await stage('alpha', 'x86_64')]));
    const expected = repositoryAccess('base/x86_64', store.baseUrl('base/x86_64'));
    expect(expected.repoFileUrl).toBe(`${store.baseUrl('base/x86_64')}azl-base-x86_64.repo`);

    expect(outcome).toMatchObject(expected);
    expect(events.map((e) => e.data)).toEqual([expect.objectContaining(expected)]);
    const status = await new RepositoryStatusReader({ main: blobs, publishing: blobs }, containers).list({
      limit: 10,
    });
    expect(status.items).toEqual([expect.objectContaining({ repository: 'base/x86_64', ...expected })]);
  });

  test('the downloaded .repo files of two repositories, in one reposdir, let dnf list both', async () => {
    const { publisher: p } = publisher();
    const binary = await p.publish(publishRequest('base/x86_64', [await stage('alpha', 'x86_64')]));
    const debug = await p.publish(
      publishRequest('base/debuginfo/x86_64', [await stage('alpha-debuginfo', 'x86_64')]),
    );
    const reposDir = tempDirForTest('azl-reposdir-');
    for (const { repoFileUrl } of [binary, debug]) {
      const response = await fetch(repoFileUrl); // anonymous, as a user downloads it
      expect(response.status).toBe(200);
      writeFileSync(
        join(reposDir, repoFileUrl.slice(repoFileUrl.lastIndexOf('/') + 1)),
        await response.text(),
      );
    }
    expect(repoqueryWithReposDir(reposDir)).toEqual([
      'alpha-0:1.0-1.azl4.x86_64',
      'alpha-debuginfo-0:1.0-1.azl4.x86_64',
    ]);
  });

  test('the dnf command line, pasted into a shell, lists the packages', async () => {
    const { publisher: p } = publisher();
    const outcome = await p.publish(
      publishRequest('base/x86_64', [await stage('alpha', 'x86_64'), await stage('beta', 'noarch')]),
    );
    // Its `$(mktemp -d)` cache goes to this test's folder, removed afterwards.
    const tmp = tempDirForTest('azl-dnf-command-');
    const stdout = execFileSync('sh', ['-c', `${outcome.dnf} -q`], {
      encoding: 'utf8',
      env: { ...process.env, TMPDIR: tmp },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const listed = stdout.split('\n').filter(Boolean).sort();
    expect(listed).toEqual(['alpha-0:1.0-1.azl4.x86_64', 'beta-0:1.0-1.azl4.noarch']);
    expect(listed).toEqual(repoquery(outcome.baseUrl));
  });
});

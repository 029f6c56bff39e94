import { beforeEach, describe, expect, test } from 'vitest';
import { composePublisher, publisherOptionsFrom } from '../../../infra/publishing';
import type { RepositoryContainers } from '../../../infra/publishing';
import { packageHref } from '../../../shared/publishing';
import { loadSettings } from '../../../shared/settings/load-settings';
import type { Env } from '../../../shared/settings/load-settings';
import { useAzurite } from '../../../testing/azurite';
import { publishRequest, readRepository, stageGenerated } from '../../../testing/rpm/published-repository';

const REPO = 'base/x86_64';
const required: Env = {
  AzureWebJobsStorage: 'UseDevelopmentStorage=true',
  ServiceBusConnection: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
};

/** The publisher as the composition root makes it from app settings, over a fresh set of containers. */
describe('the publisher follows the AZL_REPO_* app settings', () => {
  const azurite = useAzurite();
  const blobs = azurite.blobs;
  let containers: RepositoryContainers;
  let clock: number;

  const publisherFor = (env: Env) =>
    composePublisher(
      { blobs, tables: azurite.tables },
      {
        ...publisherOptionsFrom(loadSettings({ ...required, ...env })),
        containers,
        pendingTable: azurite.name('pq'),
        now: () => clock,
      },
    );
  const stage = (version: string) =>
    stageGenerated(blobs, containers.artifacts, {
      name: 'alpha',
      version,
      release: '1.azl4',
      arch: 'x86_64',
    });
  const publishThree = async (publisher: ReturnType<typeof publisherFor>['publisher']) => {
    for (const version of ['1.0', '1.1', '1.2']) {
      await publisher.publish(publishRequest(REPO, [await stage(version)]));
      clock += 1_000;
    }
  };

  beforeEach(async () => {
    containers = {
      repositories: azurite.name('repos'),
      state: azurite.name('state'),
      artifacts: azurite.name('art'),
    };
    await blobs.ensureContainer(containers.artifacts);
    clock = 1_700_000_000_000;
  });

  test('AZL_REPO_KEEP_BUILDS=2 keeps the two newest builds of a package; unset keeps one', async () => {
    const two = publisherFor({ AZL_REPO_KEEP_BUILDS: '2' });
    await publishThree(two.publisher);
    expect((await readRepository(two.store.baseUrl(REPO))).nevras).toEqual([
      'alpha-0:1.1-1.azl4.x86_64',
      'alpha-0:1.2-1.azl4.x86_64',
    ]);

    containers = { ...containers, repositories: azurite.name('repos'), state: azurite.name('state') };
    const one = publisherFor({});
    await publishThree(one.publisher);
    expect((await readRepository(one.store.baseUrl(REPO))).nevras).toEqual(['alpha-0:1.2-1.azl4.x86_64']);
  });

  test('AZL_REPO_GRACE_SECONDS=30 deletes a replaced build 30 s after it was retired, not before', async () => {
    const { publisher, store } = publisherFor({ AZL_REPO_GRACE_SECONDS: '30' });
    const alpha10 = await stage('1.0');
    const oldRpm = `${store.baseUrl(REPO)}${packageHref(alpha10.fileName, alpha10.sha256)}`;
    await publisher.publish(publishRequest(REPO, [alpha10]));
    await publisher.publish(publishRequest(REPO, [await stage('1.1')]));
    clock += 29_000;
    expect(await publisher.sweep(REPO)).toBe(0);
    expect((await fetch(oldRpm)).status).toBe(200);
    clock += 1_000;
    expect(await publisher.sweep(REPO)).toBeGreaterThan(0);
    expect((await fetch(oldRpm)).status).toBe(404);
  });
});

import { BlobServiceClient } from '@azure/storage-blob';
import { expect, test } from 'vitest';
import { publishingStorageProbe } from '../../infra/health-probes';
import { artifactsContainer, repoStateContainer, reposContainer } from '../../shared/storage';
import { useTwoAccountAzurite } from '../../testing/azurite-accounts';
import { useComposedServices } from '../../testing/composition';
import { readRepository, publishRequest, stageGenerated } from '../../testing/rpm/published-repository';

/**
 * The composition root reads AZL_PUBLISHING_STORAGE: the publisher the `publish` queue runs writes the
 * repositories into that account, its state into AzureWebJobsStorage's, and the status API reads both.
 */
const accounts = useTwoAccountAzurite();
const app = useComposedServices(() => ({
  AzureWebJobsStorage: accounts().main.connectionString,
  AZL_PUBLISHING_STORAGE: accounts().publishing.connectionString,
  AZL_FEDORA_CATCH_UP: 'off',
}));

const containersOf = async (connectionString: string): Promise<string[]> => {
  const names: string[] = [];
  for await (const container of BlobServiceClient.fromConnectionString(connectionString).listContainers()) {
    names.push(container.name);
  }
  return names.sort();
};

test('the composed publisher and status readers use the publishing account for repos only', async () => {
  const { main, publishing } = accounts();
  await main.blobs.ensureContainer(artifactsContainer.name);
  const pkg = await stageGenerated(main.blobs, artifactsContainer.name, {
    name: 'gamma',
    version: '3.0',
    release: '1.azl4',
    arch: 'noarch',
  });
  const outcome = await app.services.publisher.publish(publishRequest('base/x86_64', [pkg]));
  expect(outcome.baseUrl).toBe(`${publishing.blobs.url(reposContainer.name)}/base/x86_64/`);
  expect(await readRepository(outcome.baseUrl)).toEqual({
    revision: '1',
    nevras: ['gamma-0:3.0-1.azl4.noarch'],
  });
  expect(await containersOf(publishing.connectionString)).toEqual([reposContainer.name]);
  const inMain = await containersOf(main.connectionString);
  expect(inMain).toContain(repoStateContainer.name);
  expect(inMain).not.toContain(reposContainer.name);
  const page = await app.services.status!.repositories({ limit: 10 });
  expect(page.items).toEqual([expect.objectContaining({ repository: 'base/x86_64', revision: 1 })]);
}, 60_000);

test('health reports the publishing account as a dependency of its own, failing when it does not answer', async () => {
  const probe = app.services.dependencies.find((dependency) => dependency.name === 'publishingStorage');
  expect(app.services.dependencies.map((dependency) => dependency.name)).toEqual([
    'storage',
    'publishingStorage',
    'serviceBus',
  ]);
  expect(await probe!.check(AbortSignal.timeout(10_000))).toBe(`'${reposContainer.name}' answers`);
  // The publishing account with the main account's key: refused, as a missing role would be.
  const wrongKey = accounts().publishing.connectionString.replace(
    /AccountKey=[^;]+/,
    /AccountKey=[^;]+/.exec(accounts().main.connectionString)![0],
  );
  const failing = publishingStorageProbe({ connectionString: wrongKey });
  await expect(failing.check(AbortSignal.timeout(10_000))).rejects.toMatchObject({ statusCode: 403 });
});

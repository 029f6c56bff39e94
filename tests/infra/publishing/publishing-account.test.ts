import { createHash } from 'node:crypto';
import { BlobServiceClient } from '@azure/storage-blob';
import { beforeAll, describe, expect, test } from 'vitest';
import { composePublisher } from '../../../infra/publishing';
import { createStatusReaders } from '../../../infra/status';
import { packageHref } from '../../../shared/publishing';
import type { PublishedPackage } from '../../../shared/publishing';
import { artifactsContainer, repoStateContainer, reposContainer } from '../../../shared/storage';
import { useTwoAccountAzurite } from '../../../testing/azurite-accounts';
import { repoquery } from '../../../testing/rpm/dnf';
import { publishRequest, readRepository, stageGenerated } from '../../../testing/rpm/published-repository';

const REPO = 'base/x86_64';
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Every blob of every container of an account, as `container/name`. */
async function everyBlob(connectionString: string): Promise<string[]> {
  const service = BlobServiceClient.fromConnectionString(connectionString);
  const names: string[] = [];
  for await (const container of service.listContainers()) {
    for await (const blob of service.getContainerClient(container.name).listBlobsFlat()) {
      names.push(`${container.name}/${blob.name}`);
    }
  }
  return names.sort();
}

describe('publishing into a separate publishing account (two real Azurite accounts)', () => {
  const accounts = useTwoAccountAzurite();
  let clock = 1_700_000_000_000;
  const compose = () => {
    const { main, publishing } = accounts();
    return composePublisher(
      { blobs: main.blobs, publishingBlobs: publishing.blobs, tables: main.tables },
      { graceMs: 60_000, now: () => clock },
    );
  };
  const stage = (name: string, version: string): Promise<PublishedPackage> =>
    stageGenerated(accounts().main.blobs, artifactsContainer.name, {
      name,
      version,
      release: '1.azl4',
      arch: 'x86_64',
    });
  let first: PublishedPackage[];
  const hrefOf = (pkg: PublishedPackage) => packageHref(pkg.fileName, pkg.sha256);

  beforeAll(async () => {
    await accounts().main.blobs.ensureContainer(artifactsContainer.name);
    first = [await stage('alpha', '1.0'), await stage('beta', '2.0')];
  });

  test('repos (metadata and packages) lands only in the publishing account, repostate only in the main one', async () => {
    const { main, publishing } = accounts();
    const { publisher } = compose();
    const outcome = await publisher.publish(publishRequest(REPO, first));
    expect(outcome).toMatchObject({ revision: 1, changed: true });
    expect(outcome.baseUrl).toBe(`${publishing.blobs.url(reposContainer.name)}/${REPO}/`);

    const inPublishing = await everyBlob(publishing.connectionString);
    const inMain = await everyBlob(main.connectionString);
    expect(inPublishing).toContain(`repos/${REPO}/repodata/repomd.xml`);
    for (const pkg of first) expect(inPublishing).toContain(`repos/${REPO}/${hrefOf(pkg)}`);
    expect(inPublishing.every((name) => name.startsWith('repos/'))).toBe(true);
    expect(inMain.some((name) => name.startsWith(`${repoStateContainer.name}/${REPO}/generation-1-`))).toBe(
      true,
    );
    expect(inMain.filter((name) => name.startsWith('repos/'))).toEqual([]);
    expect(inMain.filter((name) => name.startsWith('artifacts/'))).toHaveLength(2);
  });

  test('what dnf reads anonymously from the publishing account is byte for byte the artifacts', async () => {
    const { main, publishing } = accounts();
    const { store } = compose();
    const baseUrl = store.baseUrl(REPO);
    expect(await readRepository(baseUrl)).toEqual({
      revision: '1',
      nevras: ['alpha-0:1.0-1.azl4.x86_64', 'beta-0:2.0-1.azl4.x86_64'],
    });
    expect(repoquery(baseUrl, '--qf', '%{name}-%{version}\n')).toEqual(['alpha-1.0', 'beta-2.0']);
    for (const pkg of first) {
      const artifact = await main.blobs.get(artifactsContainer.name, pkg.artifactBlob);
      const served = await fetch(`${baseUrl}${hrefOf(pkg)}`);
      expect(served.status).toBe(200);
      const bytes = Buffer.from(await served.arrayBuffer());
      expect(sha256(bytes)).toBe(pkg.sha256);
      expect(bytes.equals(artifact!.bytes)).toBe(true);
    }
    // The state repomd.xml names is in the main account, private.
    const head = await store.head(REPO);
    expect(await main.blobs.get(repoStateContainer.name, head!.state.href)).toBeDefined();
    expect(
      (await fetch(main.blobs.url(repoStateContainer.name, head!.state.href))).status,
    ).toBeGreaterThanOrEqual(400);
    expect(publishing.blobs.url(reposContainer.name)).not.toContain('devstoreaccount1');
  });

  test('a later publish replaces a package and the sweep deletes the retired files in their own accounts', async () => {
    const { main, publishing } = accounts();
    const { publisher, store } = compose();
    const firstState = (await store.head(REPO))!.state.href;
    const alpha11 = await stage('alpha', '1.1');
    const outcome = await publisher.publish(publishRequest(REPO, [alpha11]));
    expect(outcome).toMatchObject({ revision: 2, added: ['alpha-1.1-1.azl4.x86_64'] });
    expect(outcome.removed).toEqual(['alpha-1.0-1.azl4.x86_64']);
    clock += 120_000;
    await publisher.sweep(REPO);
    const inPublishing = await everyBlob(publishing.connectionString);
    expect(inPublishing).not.toContain(`repos/${REPO}/${hrefOf(first[0]!)}`);
    expect(inPublishing).toContain(`repos/${REPO}/${hrefOf(alpha11)}`);
    expect(await everyBlob(main.connectionString)).not.toContain(`${repoStateContainer.name}/${firstState}`);
    expect((await readRepository(store.baseUrl(REPO))).nevras).toEqual([
      'alpha-0:1.1-1.azl4.x86_64',
      'beta-0:2.0-1.azl4.x86_64',
    ]);
  });

  test('the status API finds the repositories in the main account and their heads in the publishing one', async () => {
    const { main, publishing } = accounts();
    const readers = createStatusReaders(
      {
        tables: main.tables,
        blobs: main.blobs,
        publishingBlobs: publishing.blobs,
        blobTarget: { connectionString: main.connectionString },
      },
      undefined,
    );
    const page = await readers.repositories({ limit: 10 });
    expect(page.items).toEqual([expect.objectContaining({ repository: REPO, revision: 2, packageCount: 2 })]);
  });
});

import { createHash } from 'node:crypto';
import { startAzurite } from '../infra/local/azurite';
import { composePublisher } from '../infra/publishing';
import { BlobStore, TableStore } from '../infra/storage';
import type { PublishedPackage, PublishRequest } from '../shared/publishing';
import { mapLimited } from '../shared/publishing/map-limited';
import { artifactsContainer, repoStateContainer, reposContainer } from '../shared/storage';
import { round, timed } from '../testing/measure';
import { generateRpm } from '../testing/rpm/rpm-generator';

export interface RepoPublishFigures {
  packages: number;
  /** Building the repository: `packages` RPMs in requests of `batch` (server-side copies, ranged reads). */
  initialPublishMs: number;
  batch: number;
  /** From `publish()` to the new repomd.xml committed, adding one package; same publisher (segment cache warm). */
  addOneWarmMs: number;
  /** The same from a fresh publisher (state loaded from its blob, no segment cache): a new Functions instance. */
  addOneColdMs: number;
  stateBlobMb: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function stage(blobs: BlobStore, container: string, name: string): Promise<PublishedPackage> {
  const pkg = {
    name,
    version: '1.0',
    release: '1.bench',
    files: [`/usr/bin/${name}`, `/usr/share/doc/${name}/README`],
    requires: [{ name: 'glibc', flags: 12, version: '2.38' }],
    changelog: [{ time: 1_700_000_000, author: 'Bench <b@example.invalid> - 1.0-1', text: '- build' }],
  };
  const bytes = generateRpm(pkg);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const nevra = `${name}-1.0-1.bench.x86_64`;
  const artifactBlob = `${name}/${sha256.slice(0, 16)}/${nevra}.rpm`;
  await blobs.put(container, artifactBlob, bytes, { metadata: { sha256, size: String(bytes.length) } });
  return { artifactBlob, fileName: `${nevra}.rpm`, sha256, size: bytes.length, nevra };
}

const request = (packages: PublishedPackage[], tag: string): PublishRequest => ({
  repository: 'base/x86_64',
  component: 'bench',
  fingerprint: `sha256:${createHash('sha256').update(tag).digest('hex')}`,
  buildId: tag,
  packages,
  requestedAt: new Date().toISOString(),
});

/**
 * Time from a publish call to the new repomd.xml for adding one package to a repository of `count`
 * packages, on a private in-memory Azurite (median of `rounds`), warm and cold.
 */
export async function measureRepoPublish(
  count = 2_000,
  rounds = 5,
  batch = 200,
): Promise<RepoPublishFigures> {
  const azurite = await startAzurite({ persistence: 'memory' });
  try {
    const target = { connectionString: azurite.connectionString };
    const blobs = new BlobStore(target);
    const tables = new TableStore(target);
    await blobs.ensureContainer(artifactsContainer.name);
    const names = Array.from({ length: count }, (_, i) => `p${i.toString(36).padStart(4, '0')}`);
    const staged = await mapLimited(names, 16, (name) => stage(blobs, artifactsContainer.name, name));
    const { publisher } = composePublisher({ blobs, tables });
    const initialPublishMs = await timed(async () => {
      for (let i = 0; i < staged.length; i += batch) {
        await publisher.publish(request(staged.slice(i, i + batch), `initial-${i}`));
      }
    });
    const addOne = async (fresh: boolean, i: number) => {
      const pkg = await stage(blobs, artifactsContainer.name, `zz${fresh ? 'cold' : 'warm'}${i}`);
      const runner = fresh ? composePublisher({ blobs, tables }).publisher : publisher;
      return timed(async () => void (await runner.publish(request([pkg], `${fresh}-${i}`))));
    };
    const warm: number[] = [];
    const cold: number[] = [];
    for (let i = 0; i < rounds; i++) {
      warm.push(await addOne(false, i));
      cold.push(await addOne(true, i));
    }
    const head = await blobs.head(reposContainer.name, 'base/x86_64/repodata/repomd.xml');
    const state = head ? await blobs.head(repoStateContainer.name, head.metadata.azlstate ?? '') : undefined;
    return {
      packages: count,
      initialPublishMs: round(initialPublishMs, 0),
      batch,
      addOneWarmMs: round(median(warm), 1),
      addOneColdMs: round(median(cold), 1),
      stateBlobMb: round((state?.size ?? 0) / 1_048_576, 2),
    };
  } finally {
    await azurite.stop();
  }
}

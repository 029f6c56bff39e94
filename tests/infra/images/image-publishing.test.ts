import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { composeImagePublisher } from '../../../infra/images/image-publisher-ports';
import { TableImageBuilds } from '../../../infra/images/table-image-builds';
import type { PipelineError } from '../../../shared/errors';
import { moveImageBuild, newImageBuild } from '../../../shared/images/image-build';
import { buildImageManifest, parseImageManifest } from '../../../shared/images/manifest';
import type { ImageManifest } from '../../../shared/images/manifest';
import { imageBuildsTable } from '../../../shared/storage';
import { jsonProperties } from '../../../shared/storage/json-property';
import { useAzurite } from '../../../testing/azurite';
import { MemoryPublisher } from '../../../testing/fakes/planning-ports';
import { sampleManifestInput } from '../../../testing/images/sample-image-manifest';
import { writeSparseVhd } from '../../../testing/images/sparse-vhd';
import { useTempDir } from '../../../testing/temp-dirs';

const MiB = 1024 * 1024;
const AT = '2026-12-06T09:00:00.000Z';

describe('TableImageBuilds on Azurite', () => {
  const azurite = useAzurite();

  test('keeps a record whole through its states; lists versions newest first and each image once', async () => {
    const table = azurite.name('imagebuilds');
    const records = new TableImageBuilds(azurite.tables, undefined, table);
    const build = (image: string, version: string, at: string) =>
      newImageBuild({
        image,
        version,
        fingerprint: `sha256:${version}`,
        at,
        repositories: { 'base/x86_64': 3 },
      });
    const uploading = moveImageBuild(
      build('vm-base', '20261206.9', AT),
      'uploading',
      AT,
      'vm-base-20261206.9.vhd',
    );
    await records.put(uploading);
    await records.put(build('vm-base', '20261206.10', AT));
    await records.put(build('vm/odd#name', '1', '2026-12-05T00:00:00.000Z'));

    expect(await records.get('vm-base', '20261206.9')).toEqual(uploading);
    expect(await records.get('vm-base', '20261206.1')).toBeUndefined();
    expect((await records.versions('vm-base')).map((r) => r.version)).toEqual(['20261206.10', '20261206.9']);
    expect(await records.versions('no-such-image')).toEqual([]);
    expect((await records.latest()).map((r) => [r.image, r.version])).toEqual([
      ['vm-base', '20261206.10'],
      ['vm/odd#name', '1'],
    ]);
  });

  test('a listing skips a row that does not fit its schema and reports it', async () => {
    const table = azurite.name('imagebuilds');
    const skipped: PipelineError[] = [];
    const records = new TableImageBuilds(azurite.tables, (error) => skipped.push(error), table);
    await records.put(newImageBuild({ image: 'vm-base', version: '1', fingerprint: 'sha256:1', at: AT }));
    const damaged = imageBuildsTable.toEntity(
      newImageBuild({ image: 'vm-base', version: '2', fingerprint: 'sha256:2', at: AT }),
    );
    await azurite.tables.upsert(table, {
      ...damaged,
      ...jsonProperties('record', { image: 'vm-base', version: '2', state: 'half-done' }),
    });

    expect((await records.versions('vm-base')).map((r) => r.version)).toEqual(['1']);
    expect(skipped.map((e) => e.code)).toEqual(['storage.invalid-row']);
  });
});

describe('publishing an image to Azurite', () => {
  const azurite = useAzurite();
  const dir = useTempDir('azl-image-publish-');
  let vhd: string;
  let manifest: ImageManifest;

  beforeAll(async () => {
    vhd = join(dir, 'vm-base-20261206.1.vhd');
    await writeSparseVhd(vhd, 8 * MiB + 512, [
      { offset: 0, length: 4096 },
      { offset: 5 * MiB, length: 100_000 },
    ]);
    const sha256 = createHash('sha256')
      .update(await readFile(vhd))
      .digest('hex');
    manifest = buildImageManifest(
      sampleManifestInput({
        image: { name: 'vm-base', version: '20261206.1' },
        sizes: { virtualBytes: 8 * MiB, vhdFileBytes: 8 * MiB + 512, dataBytes: 4096 + 100_352 },
        vhd: { file: 'vm-base-20261206.1.vhd', sha256 },
      }),
    );
  });

  test('uploads the VHD sparsely, puts manifest and SBOM beside it, records published, all readable by URL', async () => {
    const events = new MemoryPublisher();
    const tableName = azurite.name('imagebuilds');
    const publisher = await composeImagePublisher({
      tables: azurite.tables,
      blobs: azurite.blobs,
      blobTarget: { connectionString: azurite.connectionString },
      events,
      containerName: azurite.name('images'),
      tableName,
    });

    const outcome = await publisher.publish({
      image: 'vm-base',
      version: '20261206.1',
      vhdFile: vhd,
      manifest,
    });

    expect(outcome.outcome).toBe('published');
    expect(outcome.bytesSent).toBeLessThan(200 * 1024);
    const urls = outcome.record.urls!;
    const download = async (url: string) => {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      return Buffer.from(await response.arrayBuffer());
    };
    expect((await download(urls.vhd)).equals(await readFile(vhd))).toBe(true);
    expect(parseImageManifest(JSON.parse((await download(urls.manifest)).toString('utf8')))).toEqual(
      manifest,
    );
    const sbom = JSON.parse((await download(urls.sbom)).toString('utf8')) as {
      spdxVersion: string;
      packages: unknown[];
    };
    expect(sbom.spdxVersion).toBe('SPDX-2.3');
    expect(sbom.packages.length).toBeGreaterThan(manifest.packages.length);

    const stored = await new TableImageBuilds(azurite.tables, undefined, tableName).get(
      'vm-base',
      '20261206.1',
    );
    expect(stored).toEqual(outcome.record);
    expect(stored?.state).toBe('published');
    expect(events.published.map((e) => [e.type, e.subject])).toEqual([['image.published', 'vm-base']]);

    // The same version again uploads nothing.
    const again = await publisher.publish({
      image: 'vm-base',
      version: '20261206.1',
      vhdFile: vhd,
      manifest,
    });
    expect(again).toMatchObject({ outcome: 'already-published', bytesSent: 0 });
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../../hosts/cli/main';
import { writeEndpoints } from '../../../hosts/local/runtime/endpoints-file';
import { TableImageBuilds } from '../../../infra/images/table-image-builds';
import { buildImageManifest, imageManifestJson } from '../../../shared/images/manifest';
import { azuriteConnectionString } from '../../../testing/azurite';
import { TableStore } from '../../../infra/storage';
import { sampleManifestInput } from '../../../testing/images/sample-image-manifest';
import { writeSparseVhd } from '../../../testing/images/sparse-vhd';
import { capturedWrite } from '../../../testing/captured-write';
import { useTempDir } from '../../../testing/temp-dirs';

/**
 * `azl-rebuilder image publish` run in process against the run's Azurite, into the catalogue's `images`
 * container and `imagebuilds` table (each test publishes an image of its own name).
 */
const MiB = 1024 * 1024;
const dir = useTempDir('azl-image-publish-cli-');
const connectionString = azuriteConnectionString();

let stdout = '';
let stderr = '';
const capture = capturedWrite;

beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
});
afterEach(() => vi.restoreAllMocks());

let vhd: string;
let sha256: string;

beforeAll(async () => {
  vhd = join(dir, 'disk.vhd');
  await writeSparseVhd(vhd, 2 * MiB + 512, [{ offset: MiB, length: 10_000 }]);
  sha256 = createHash('sha256')
    .update(await readFile(vhd))
    .digest('hex');
});

/** A manifest of `image` for the test VHD, written to `file`. */
async function writeManifest(file: string, image: string, version = '20261206.1'): Promise<void> {
  const manifest = buildImageManifest(
    sampleManifestInput({
      image: { name: image, version },
      sizes: { virtualBytes: 2 * MiB, vhdFileBytes: 2 * MiB + 512, dataBytes: 10_240 },
      vhd: { file: 'disk.vhd', sha256 },
    }),
  );
  await writeFile(file, imageManifestJson(manifest));
}

const imageName = () => `cli-${randomBytes(4).toString('hex')}`;

async function run(...args: string[]): Promise<{ code: number; json: Record<string, unknown> }> {
  stdout = '';
  const code = await main(['--no-progress', 'image', 'publish', ...args]);
  return { code, json: stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {} };
}

describe('azl-rebuilder image publish', () => {
  test('--storage: publishes the VHD with manifest.json beside it, prints the URLs; again: already published', async () => {
    const image = imageName();
    await writeManifest(join(dir, 'manifest.json'), image);

    const { code, json } = await run(vhd, '--image', image, '--storage', connectionString);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(json).toMatchObject({
      image,
      version: '20261206.1',
      outcome: 'published',
      state: 'published',
      sha256,
      vhdUrl: expect.stringMatching(new RegExp(`/images/${image}/20261206\\.1/${image}-20261206\\.1\\.vhd$`)),
      manifestUrl: expect.stringMatching(/\/manifest\.json$/),
      sbomUrl: expect.stringMatching(/\/sbom\.spdx\.json$/),
    });
    expect(json['bytesSent']).toBeLessThan(MiB);
    const downloaded = Buffer.from(await (await fetch(json['vhdUrl'] as string)).arrayBuffer());
    expect(downloaded.equals(await readFile(vhd))).toBe(true);
    const record = await new TableImageBuilds(new TableStore({ connectionString })).get(image, '20261206.1');
    expect(record?.history.map((h) => h.state)).toEqual(['queued', 'uploading', 'published']);

    const again = await run(vhd, '--image', image, '--version', '20261206.1', '--storage', connectionString);
    expect(again).toMatchObject({ code: 0, json: { outcome: 'already-published', bytesSent: 0 } });
  });

  test("--local: the local pipeline's storage; a given manifest and SBOM", async () => {
    const image = imageName();
    const manifest = join(dir, `${image}.json`);
    await writeManifest(manifest, image, '20261206.4');
    const sbom = join(dir, `${image}.spdx.json`);
    await writeFile(sbom, '{"spdxVersion":"SPDX-2.3","name":"given"}');
    const dataDir = join(dir, 'data');
    writeEndpoints(dataDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      httpBaseUrl: 'http://127.0.0.1:1',
      apiBaseUrl: 'http://127.0.0.1:1/api',
      healthUrl: 'http://127.0.0.1:1/api/health',
      dashboardUrl: 'http://127.0.0.1:1/dashboard',
      functionKey: 'k',
      serviceBusConnectionString: 'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=x;SharedAccessKey=y',
      storageConnectionString: connectionString,
    });

    const { code, json } = await run(
      vhd,
      '--image',
      image,
      '--manifest',
      manifest,
      '--sbom',
      sbom,
      '--local',
      '--data-dir',
      dataDir,
    );

    expect(code).toBe(0);
    expect(json).toMatchObject({ version: '20261206.4', outcome: 'published' });
    expect(await (await fetch(json['sbomUrl'] as string)).text()).toBe(
      '{"spdxVersion":"SPDX-2.3","name":"given"}',
    );
  });

  test('a manifest of another version is exit 1 with the error as JSON, and the version is recorded failed', async () => {
    const image = imageName();
    const manifest = join(dir, `${image}.json`);
    await writeManifest(manifest, image);

    const { code, json } = await run(
      vhd,
      '--image',
      image,
      '--version',
      '20261206.2',
      '--manifest',
      manifest,
      '--storage',
      connectionString,
    );

    expect(code).toBe(1);
    expect(json['error']).toMatchObject({ code: 'image.manifest-mismatch' });
    const record = await new TableImageBuilds(new TableStore({ connectionString })).get(image, '20261206.2');
    expect(record).toMatchObject({
      state: 'failed',
      error: { code: 'image.manifest-mismatch', retryable: false },
    });
  });

  test('usage: neither --local nor --storage is exit 2; --local without a running pipeline is exit 1', async () => {
    expect((await run(vhd, '--image', 'x')).code).toBe(2);
    expect(stderr).toMatch(/exactly one of --local and --storage/);
    const { code, json } = await run(vhd, '--image', 'x', '--local', '--data-dir', join(dir, 'nothing'));
    expect(code).toBe(1);
    expect(json['error']).toMatchObject({ code: 'image.no-local-pipeline' });
  });
});

import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { imageJobRequestOf } from '../../../infra/images/cloud-image-builder';
import { imageExecutionEnv } from '../../../infra/images/compose-image-builds';
import { KIWI_BUILDER_KIND, kiwiImageBuilder } from '../../../infra/images/kiwi-image-builder';
import { buildableImage } from '../../../infra/images/tree-buildable-images';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { loadDistroTree } from '../../../shared/distro';
import type { BuildableImage, ImageBuildJob } from '../../../shared/images/image-build-service';
import { failure } from '../../../testing/failures';
import { buildTinyImageRepo, writeTinyImageTree } from '../../../testing/images/tiny-image-repo';
import { writeSparseVhd } from '../../../testing/images/sparse-vhd';
import { tempDirForTest, useTempDir } from '../../../testing/temp-dirs';

/**
 * The kiwi-ng builder of `worker image` against a stand-in `kiwi-ng` (a shell script): it writes what kiwi-ng
 * leaves in its target dir — a fixed VHD and `build/image-root` with an rpm database holding a real package —
 * so the manifest is made from real files by the real readers, without kiwi-ng installed.
 */
const dir = useTempDir('kiwi-builder-');
const MIB = 1024 * 1024;
let treeDir: string;
let rpm: string;
let vhd: string;
let image: BuildableImage;

beforeAll(async () => {
  const repo = buildTinyImageRepo(dir);
  rpm = join(
    dir,
    'repo',
    repo.rpms.find((name) => name.startsWith('tiny-hello-'))!,
  );
  treeDir = writeTinyImageTree();
  image = await buildableImage(loadDistroTree(new FsDistroFiles(), treeDir), 'tiny-vm', 'x86_64');
  vhd = join(dir, 'prepared.vhd');
  await writeSparseVhd(vhd, 8 * MIB + 512, [{ offset: MIB, length: 3000 }]);
}, 120_000);
afterAll(() => rmSync(treeDir, { recursive: true, force: true }));

function fakeKiwi(body: string): string {
  const root = tempDirForTest('fake-kiwi-');
  const file = join(root, 'kiwi-ng');
  writeFileSync(file, `#!/bin/bash\nwhile [ "$1" != --target-dir ]; do shift; done; target="$2"\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const job = (overrides: Partial<BuildableImage> = {}): ImageBuildJob => ({
  image: { ...image, ...overrides },
  version: '20261206.4',
  fingerprint: `sha256:${'5'.repeat(64)}`,
  repositories: [
    { repository: 'base/x86_64', revision: 7, baseUrl: 'http://127.0.0.1:1/repos/base/x86_64/' },
  ],
});

describe('kiwiImageBuilder', () => {
  test("builds with kiwi-ng and makes the manifest from its VHD and its image root's rpm database", async () => {
    const kiwi = fakeKiwi(
      `root="$target/build/image-root"; mkdir -p "$root"
rpm --root "$root" --dbpath /usr/lib/sysimage/rpm --initdb
rpm --root "$root" --dbpath /usr/lib/sysimage/rpm -i --justdb --nodeps --noscripts "${rpm}"
cp --sparse=always "${vhd}" "$target/azl4-tiny-vm.x86_64-1.0.vhd"`,
    );
    const workRoot = join(dir, 'work');

    const built = await kiwiImageBuilder({ workRoot, kiwiExecutable: kiwi }).build(job());

    if (built.kind !== 'built') throw new Error('expected a built image');
    const { manifest } = built;
    expect(manifest.image).toEqual({ name: 'tiny-vm', version: '20261206.4' });
    expect(manifest.fingerprint).toBe(`sha256:${'5'.repeat(64)}`);
    expect(manifest.builder.kind).toBe(KIWI_BUILDER_KIND);
    expect(manifest.packages.map((p) => p.name)).toEqual(['tiny-hello']);
    expect(manifest.vhd).toEqual({
      file: 'tiny-vm-20261206.4.vhd',
      sha256: createHash('sha256').update(readFileSync(vhd)).digest('hex'),
    });
    // The noise covers 3,000 bytes from 1 MiB: six sectors; the footer sector is not data.
    expect(manifest.sizes).toEqual({
      virtualBytes: 8 * MIB,
      vhdFileBytes: 8 * MIB + 512,
      dataBytes: 6 * 512,
    });
    expect(manifest.requested).toMatchObject({ missing: [], allowMissing: false });
    expect(existsSync(built.vhdFile)).toBe(true);
    await built.dispose();
    expect(existsSync(built.vhdFile)).toBe(false);
  });

  test('a kiwi-ng failure is image.kiwi-failed and leaves no work folder behind', async () => {
    const workRoot = join(dir, 'failing');
    const error = await failure(
      kiwiImageBuilder({ workRoot, kiwiExecutable: fakeKiwi('echo "no space left"; exit 1') }).build(job()),
    );
    expect(error.code).toBe('image.kiwi-failed');
    expect(error.message).toContain('no space left');
    expect(readdirOf(workRoot)).toEqual([]);
  });

  test('refuses allow-missing: kiwi-ng installs every package the description names or fails', async () => {
    const error = await failure(
      kiwiImageBuilder({ workRoot: join(dir, 'refused'), kiwiExecutable: fakeKiwi('exit 0') }).build(
        job({ allowMissing: true }),
      ),
    );
    expect([error.code, error.context.element]).toEqual([
      'image.unsupported-setting',
      'images.tiny-vm.allow-missing',
    ]);
  });
});

describe('the cloud image build request and environment', () => {
  test('carry the job (profiles, repositories, output) and the settings the execution needs', () => {
    expect(imageJobRequestOf(job())).toEqual({
      image: 'tiny-vm',
      version: '20261206.4',
      arch: 'x86_64',
      profiles: [],
      fingerprint: `sha256:${'5'.repeat(64)}`,
      repositories: [
        { repository: 'base/x86_64', revision: 7, baseUrl: 'http://127.0.0.1:1/repos/base/x86_64/' },
      ],
      allowMissing: false,
      output: { container: 'images', vhdBlobName: 'tiny-vm/20261206.4/tiny-vm-20261206.4.vhd' },
    });
    expect(
      imageExecutionEnv({
        AZL_GALLERY_ID: '/subscriptions/x/resourceGroups/g/providers/Microsoft.Compute/galleries/y',
        AZL_GALLERY_STORAGE_ACCOUNT_ID: 'id',
        ServiceBusConnection__fullyQualifiedNamespace: 'sb.example',
        AZL_PLANNER_DEBOUNCE_SECONDS: '60',
      }),
    ).toEqual({
      AZL_BUILDER: 'local',
      AZL_FEDORA_CATCH_UP: 'off',
      AZL_GALLERY_ID: '/subscriptions/x/resourceGroups/g/providers/Microsoft.Compute/galleries/y',
      AZL_GALLERY_STORAGE_ACCOUNT_ID: 'id',
      ServiceBusConnection__fullyQualifiedNamespace: 'sb.example',
    });
  });

  test('an architecture the image builder job is not made for is refused, never built as x86_64', () => {
    const riscv = { ...image, definition: { ...image.definition, arch: 'riscv64' } };
    expect(() => imageJobRequestOf({ ...job(), image: riscv })).toThrow(
      expect.objectContaining({ code: 'image.unsupported-setting' }),
    );
  });
});

function readdirOf(folder: string): string[] {
  return existsSync(folder) ? readdirSync(folder) : [];
}

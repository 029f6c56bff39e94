import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { IMAGE_RPM_DBPATH } from '../../../infra/images/dnf-installroot';
import { loadImageDescription } from '../../../infra/images/load-image-descriptions';
import { buildLocalImage } from '../../../infra/images/local-image-builder';
import type {
  LocalImageBuildRequest,
  LocalImageBuildResult,
} from '../../../infra/images/local-image-builder';
import { loadDistroTree } from '../../../shared/distro/load';
import { ESP_TYPE_GUID, LINUX_ROOT_TYPE_GUIDS } from '../../../shared/images/disk';
import { parseImageManifest } from '../../../shared/images/manifest';
import { resolveImageDefinition } from '../../../shared/images/resolve-definition';
import { failure } from '../../../testing/failures';
import { fixturePath } from '../../../testing/fixtures/fixture-path';
import { qemuImgInfo, run, runForStatus, sfdiskJson } from '../../../testing/images/disk-tools';
import {
  buildTinyImageRepo,
  TINY_KERNEL_VERSION,
  writeTinyImageTree,
} from '../../../testing/images/tiny-image-repo';
import { useTempDir } from '../../../testing/temp-dirs';
import { VM_BASE_IMAGE_PACKAGES } from '../../shared/images/kiwi-fixtures';

const MIB = 1024 * 1024;
const dir = useTempDir('azl-image-builder-');
let baseUrl: string;
let treeDir: string;

beforeAll(() => {
  ({ baseUrl } = buildTinyImageRepo(dir));
  treeDir = writeTinyImageTree();
});
afterAll(() => rmSync(treeDir, { recursive: true, force: true }));

async function request(
  config: string,
  image: string,
  overrides: Partial<LocalImageBuildRequest> = {},
): Promise<LocalImageBuildRequest> {
  const tree = loadDistroTree(new FsDistroFiles(), config);
  const { entry, description } = await loadImageDescription(tree, image);
  const work = mkdtempSync(join(dir, 'run-'));
  return {
    definition: resolveImageDefinition(entry, description, 'x86_64'),
    description: { file: `images/${image}.kiwi`, sha256: 'a'.repeat(64) },
    repositories: [{ id: 'base/x86_64', baseUrl }],
    image: { name: image, version: '1.2.3' },
    workDir: join(work, 'work'),
    outDir: join(work, 'out'),
    allowMissing: false,
    builderVersion: '9.9.9',
    ...overrides,
  };
}

/** Bytes `[offset, offset + size)` of `path` copied into a file of their own. */
function extract(path: string, offset: number, size: number, to: string): string {
  const source = openSync(path, 'r');
  const buffer = Buffer.alloc(size);
  readSync(source, buffer, 0, size, offset);
  closeSync(source);
  writeFileSync(to, buffer);
  return to;
}

describe('the local image builder', () => {
  let result: LocalImageBuildResult;
  let raw: string;

  beforeAll(async () => {
    const built = await request(treeDir, 'tiny-vm');
    raw = join(built.outDir, '..', 'disk.raw');
    result = await buildLocalImage({ ...built, rawDiskPath: raw });
  });

  it('writes a fixed VHD of the description size that qemu-img reads as the raw disk', () => {
    expect(result.vhdPath.endsWith('/tiny-vm-1.2.3.vhd')).toBe(true);
    const info = qemuImgInfo(result.vhdPath, 'vpc');
    expect(info.format).toBe('vpc');
    expect(info['virtual-size']).toBe(64 * MIB);
    expect(runForStatus('qemu-img', ['compare', '-f', 'raw', '-F', 'vpc', raw, result.vhdPath]).status).toBe(
      0,
    );
  });

  it('lays out a GPT with the ESP and the root partition, 1 MiB aligned, named as kiwi names them', () => {
    const table = sfdiskJson(raw);
    expect(table.label).toBe('gpt');
    expect(table.partitions.map((p) => [p.type, p.name])).toEqual([
      [ESP_TYPE_GUID, 'p.UEFI'],
      [LINUX_ROOT_TYPE_GUIDS.x86_64, 'p.lxroot'],
    ]);
    for (const partition of table.partitions) expect(partition.start % 2048).toBe(0);
    expect(table.partitions[0]!.size * 512).toBe(16 * MIB);
  });

  it('makes a clean ext4 root holding the installed files, fstab by label and a boot entry', () => {
    const [, rootPartition] = sfdiskJson(raw).partitions;
    const root = extract(raw, rootPartition!.start * 512, rootPartition!.size * 512, join(dir, 'root.img'));
    expect(runForStatus('fsck.ext4', ['-n', '-f', root]).status).toBe(0);
    expect(run('debugfs', ['-R', 'stats', root])).toMatch(/Filesystem volume name:\s+tinyroot/);
    expect(run('debugfs', ['-R', 'ls -l /usr/bin', root])).toContain('tiny-hello');
    expect(run('debugfs', ['-R', 'cat /etc/fstab', root])).toBe(
      'LABEL=tinyroot / ext4 defaults 0 1\nLABEL=EFI /boot/efi vfat umask=0077,shortname=winnt 0 2\n',
    );
    // The ESP's files are in the FAT only; /boot/efi is the empty mount point.
    expect(run('debugfs', ['-R', 'ls /boot/efi', root])).not.toContain('EFI');
    expect(run('debugfs', ['-R', `cat /boot/vmlinuz-${TINY_KERNEL_VERSION}`, root])).toBe(
      'not really a kernel\n',
    );
    const entries = run('debugfs', ['-R', 'ls /boot/loader/entries', root]);
    const entry = new RegExp(`([0-9a-f]{32})-${TINY_KERNEL_VERSION.replace(/\./g, '\\.')}\\.conf`).exec(
      entries,
    );
    expect(entry).not.toBeNull();
    expect(run('debugfs', ['-R', `cat /boot/loader/entries/${entry![0]}`, root])).toBe(
      [
        `title tiny-vm (${TINY_KERNEL_VERSION})`,
        `version ${TINY_KERNEL_VERSION}`,
        `linux /boot/vmlinuz-${TINY_KERNEL_VERSION}`,
        'options root=LABEL=tinyroot console=ttyS0 rd.shell=0',
        '',
      ].join('\n'),
    );
    expect(result.kernels).toEqual([TINY_KERNEL_VERSION]);
    expect(result.warnings).toEqual([]);
  });

  it('fills the EFI system partition from the staged /boot/efi', () => {
    const [esp] = sfdiskJson(raw).partitions;
    const fat = extract(raw, esp!.start * 512, esp!.size * 512, join(dir, 'esp.img'));
    expect(run('mtype', ['-i', fat, '::/EFI/BOOT/BOOTX64.EFI'])).toBe('not really shim\n');
    expect(runForStatus('fsck.vfat', ['-n', fat]).status).toBe(0);
    expect(run('blkid', ['-o', 'value', '-s', 'LABEL', fat]).trim()).toBe('EFI');
  });

  it("writes a manifest whose packages are the image's rpm database, and the SBOM beside it", () => {
    const manifest = parseImageManifest(JSON.parse(readFileSync(result.manifestPath, 'utf8')));
    const rpmSays = run('rpm', [
      '--root',
      result.stagingRoot,
      '--dbpath',
      IMAGE_RPM_DBPATH,
      '-qa',
      '--qf',
      '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\n',
    ])
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(manifest.packages.map((p) => p.nevra).sort()).toEqual(rpmSays);
    expect(rpmSays).toEqual([
      'filesystem-1.0-1.noarch',
      'tiny-efi-1.0-1.noarch',
      'tiny-hello-1.0-1.noarch',
      'tiny-kernel-1.0-1.noarch',
    ]);
    expect(manifest.repositories).toEqual([{ repository: 'base/x86_64', revision: 7, baseUrl }]);
    expect(manifest.requested).toEqual({
      packages: ['filesystem', 'tiny-efi', 'tiny-hello', 'tiny-kernel'],
      missing: [],
      allowMissing: false,
    });
    expect(manifest.sizes.virtualBytes).toBe(64 * MIB);
    expect(manifest.sizes.vhdFileBytes).toBe(64 * MIB + 512);
    const sha = execFileSync('sha256sum', [result.vhdPath], { encoding: 'utf8' }).split(' ')[0];
    expect(manifest.vhd).toEqual({ file: 'tiny-vm-1.2.3.vhd', sha256: sha });
    expect(manifest.builder).toEqual({ kind: 'local', version: '9.9.9' });
    const sbom = JSON.parse(readFileSync(result.sbomPath, 'utf8')) as { packages: { name: string }[] };
    expect(sbom.packages.map((p) => p.name).sort()).toEqual([
      'filesystem',
      'tiny-efi',
      'tiny-hello',
      'tiny-kernel',
      'tiny-vm',
    ]);
  });
});

describe('packages no repository has', () => {
  it('fail the build, naming every one of them', async () => {
    const error = await failure(buildLocalImage(await request(treeDir, 'tiny-vm-wants-more')));
    expect(error.code).toBe('image.missing-packages');
    expect(error.retryable).toBe(false);
    expect(error.context.missing).toBe('no-such-tool absent-daemon');
    expect(error.message).toContain('no-such-tool, absent-daemon');
  });

  it('are left out and recorded with allow-missing', async () => {
    const result = await buildLocalImage(
      await request(treeDir, 'tiny-vm-wants-more', { allowMissing: true }),
    );
    expect(result.manifest.requested.missing).toEqual(['absent-daemon', 'no-such-tool']);
    expect(result.manifest.requested.allowMissing).toBe(true);
    expect(result.manifest.packages.map((p) => p.name)).toEqual([
      'filesystem',
      'tiny-efi',
      'tiny-hello',
      'tiny-kernel',
    ]);
    expect(result.warnings).toEqual(['left out, no repository has them: no-such-tool, absent-daemon']);
  });

  it('fail the real vm-base.kiwi, listing exactly what the small repository lacks', async () => {
    const error = await failure(buildLocalImage(await request(fixturePath('azurelinux'), 'vm-base')));
    expect(error.code).toBe('image.missing-packages');
    const bootstrapForX86 = ['azurelinux-release-cloud', 'grub2-efi-x64-modules', 'grub2-efi-x64', 'shim'];
    const expected = [...new Set([...bootstrapForX86, ...VM_BASE_IMAGE_PACKAGES])];
    expect(String(error.context.missing).split(' ').sort()).toEqual(expected.sort());
  });
});

describe('a disk too small for its packages', () => {
  it('fails as a permanent image.filesystem-failed naming the root file system', async () => {
    const error = await failure(buildLocalImage(await request(treeDir, 'tiny-vm-too-small')));
    expect(error.code).toBe('image.filesystem-failed');
    expect(error.retryable).toBe(false);
    expect(error.context.command).toBe('mkfs.ext4');
    expect(error.message).toContain('could not make the ext4 file system "tinyroot"');
  });
});

describe('repositories', () => {
  it('an unreachable one is a transient failure', async () => {
    const error = await failure(
      buildLocalImage(
        await request(treeDir, 'tiny-vm', {
          repositories: [{ id: 'gone', baseUrl: 'file:///nonexistent/repo/' }],
        }),
      ),
    );
    expect(error.code).toBe('image.repository-unreachable');
    expect(error.retryable).toBe(true);
  });
});

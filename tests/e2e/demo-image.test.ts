import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildLocally } from '../../infra/builders/build-locally';
import { RpmbuildBuilder } from '../../infra/builders/rpmbuild';
import { FsDistroFiles } from '../../infra/distro/fs-distro-files';
import { composeImagePublisher } from '../../infra/images/image-publisher-ports';
import { loadImageDescription } from '../../infra/images/load-image-descriptions';
import { buildLocalImage } from '../../infra/images/local-image-builder';
import type { LocalImageBuildResult } from '../../infra/images/local-image-builder';
import {
  defaultFixtureRoot,
  readFixturePackages,
  writeFixtureDistro,
  writeUpstreamFolder,
} from '../../infra/local/fedora-fixture';
import { ensureCatalogueContainer } from '../../infra/storage/catalogue-container';
import { loadDistroTree } from '../../shared/distro/load';
import { ESP_TYPE_GUID, LINUX_ROOT_TYPE_GUIDS } from '../../shared/images/disk';
import type { ImageEntry } from '../../shared/images/image-entry';
import { parseImageManifest } from '../../shared/images/manifest';
import type { ImageManifest } from '../../shared/images/manifest';
import { requestedPackages, resolveImageDefinition } from '../../shared/images/resolve-definition';
import { reposContainer } from '../../shared/storage';
import { useAzurite } from '../../testing/azurite';
import { MemoryPublisher } from '../../testing/fakes/planning-ports';
import { qemuImgInfo, run, runForStatus, sfdiskJson } from '../../testing/images/disk-tools';
import { createrepo } from '../../testing/rpm/rpm-tools';
import { useTempDir } from '../../testing/temp-dirs';
import { failure } from '../../testing/failures';
import { fixturePath } from '../../testing/fixtures/fixture-path';

/**
 * The demo's preview image end to end (issue 18, the first "Done when"): the demo tree's fixture packages built
 * with rpmbuild (overlays applied, as the pipeline builds them) into an rpm-md repository served anonymously
 * from Azurite, as the demo's `base/x86_64` is; `demo-vm` built from
 * the tree by the local builder (real dnf, mkfs.ext4, mkfs.vfat, mtools); published with the image publisher
 * onto Azurite; then the VHD and the manifest downloaded again by their anonymous URLs and read back with the
 * system's tools only.
 */

const MIB = 1024 * 1024;
const DEMO_IMAGE = 'demo-vm';
const dir = useTempDir('azl-demo-image-');
const azurite = useAzurite();

let entry: ImageEntry;
let result: LocalImageBuildResult;
let repoUrl: string;
let builtNevras: string[];
let published: { vhd: string; manifest: string; sbom: string };
/** The VHD as downloaded, the disk inside it (the VHD without its footer) and the builder's own raw disk. */
let downloadedVhd: string;
let downloadedDisk: string;
let builderRawDisk: string;
let downloadedManifest: ImageManifest;

/** Builds every fixture package of the demo tree; returns the binary RPMs (no SRPMs). */
async function buildFixturePackages(distroDir: string): Promise<string[]> {
  const packages = readFixturePackages(defaultFixtureRoot());
  const summaries = await Promise.all(
    packages.map((pkg) =>
      buildLocally({
        config: distroDir,
        component: pkg.name,
        upstream: writeUpstreamFolder(pkg, join(dir, 'upstream', pkg.name)),
        out: join(dir, 'built', pkg.name),
        builder: new RpmbuildBuilder(),
        timeLimitMs: 120_000,
      }),
    ),
  );
  for (const summary of summaries) expect(summary.state, summary.message).toBe('succeeded');
  return summaries.flatMap((s) => s.files.filter((f) => f.kind === 'rpm').map((f) => f.path));
}

/** The folder `repo` as blobs `<prefix>/…` of a container that, like `repos`, anyone may read; its URL. */
async function serveFromAzurite(repo: string, prefix: string): Promise<string> {
  const container = azurite.name('repos');
  await ensureCatalogueContainer(azurite.blobs, reposContainer, container);
  const files = (await readdir(repo, { recursive: true, withFileTypes: true })).filter((f) => f.isFile());
  await Promise.all(
    files.map(async (file) => {
      const path = join(file.parentPath, file.name);
      await azurite.blobs.put(container, `${prefix}/${relative(repo, path)}`, await readFile(path));
    }),
  );
  return `${azurite.blobs.url(container, prefix)}/`;
}

async function download(url: string): Promise<Buffer> {
  // A plain fetch: no credentials, no SDK. The images container is anonymously readable.
  const response = await fetch(url);
  expect(response.status, url).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

/** Bytes `[offset, offset + size)` of `path` as a file of their own. */
function extract(path: string, offset: number, size: number, to: string): string {
  writeFileSync(to, readFileSync(path).subarray(offset, offset + size));
  return to;
}

beforeAll(async () => {
  const distroDir = writeFixtureDistro(join(dir, 'distro'), {
    distGitBaseUri: 'file:///unused/rpms/$pkg.git',
    lookasideBaseUri: 'http://127.0.0.1:1/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename',
  });
  const repo = join(dir, 'repo');
  mkdirSync(repo, { recursive: true });
  const rpms = await buildFixturePackages(distroDir);
  for (const rpm of rpms) copyFileSync(rpm, join(repo, basename(rpm)));
  builtNevras = rpms.map((rpm) => basename(rpm, '.rpm')).sort();
  createrepo(repo, '1');
  repoUrl = await serveFromAzurite(repo, 'base/x86_64');

  // As `image build` does it: the tree's entry and description, allow-missing from the entry.
  const tree = loadDistroTree(new FsDistroFiles(), distroDir);
  const loaded = await loadImageDescription(tree, DEMO_IMAGE);
  entry = loaded.entry;
  const definition = resolveImageDefinition(entry, loaded.description, 'x86_64');
  builderRawDisk = join(dir, 'builder-disk.raw');
  result = await buildLocalImage({
    definition,
    description: {
      file: relative(dirname(tree.root), entry.file),
      sha256: createHash('sha256').update(readFileSync(entry.file)).digest('hex'),
    },
    repositories: [{ id: 'base/x86_64', baseUrl: repoUrl }],
    image: { name: DEMO_IMAGE, version: definition.version ?? '0.0.0' },
    workDir: join(dir, 'work'),
    outDir: join(dir, 'out'),
    allowMissing: entry.allowMissing,
    builderVersion: '0.0.0-test',
    rawDiskPath: builderRawDisk,
  });

  // As `image publish` composes the publisher, on test-owned copies of the images container and table.
  const publisher = await composeImagePublisher({
    tables: azurite.tables,
    blobs: azurite.blobs,
    blobTarget: { connectionString: azurite.connectionString },
    events: new MemoryPublisher(),
    containerName: azurite.name('images'),
    tableName: azurite.name('imagebuilds'),
  });
  const outcome = await publisher.publish({
    image: DEMO_IMAGE,
    version: result.manifest.image.version,
    vhdFile: result.vhdPath,
    manifest: result.manifest,
    sbom: readFileSync(result.sbomPath, 'utf8'),
  });
  expect(outcome.outcome).toBe('published');
  published = outcome.record.urls!;

  downloadedVhd = join(dir, 'downloaded.vhd');
  writeFileSync(downloadedVhd, await download(published.vhd));
  downloadedManifest = parseImageManifest(JSON.parse((await download(published.manifest)).toString('utf8')));
  downloadedDisk = extract(downloadedVhd, 0, downloadedManifest.sizes.virtualBytes, join(dir, 'disk.raw'));
}, 300_000);

describe('the demo image, downloaded by its anonymous URL', () => {
  it('is the demo tree image, with allow-missing from its entry, built from the repository on Azurite', () => {
    expect(entry.allowMissing).toBe(true);
    expect(repoUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/devstoreaccount1\/repos[0-9a-f]+\/base\/x86_64\/$/);
    expect(downloadedManifest.repositories).toEqual([
      { repository: 'base/x86_64', revision: 1, baseUrl: repoUrl },
    ]);
    expect(published.vhd).toMatch(/\/demo-vm\/0\.1\/demo-vm-0\.1\.vhd$/);
  });

  it('is a fixed VHD of a whole number of MiB that qemu-img reads as the builder raw disk', () => {
    const info = qemuImgInfo(downloadedVhd, 'vpc');
    expect(info.format).toBe('vpc');
    expect(info['virtual-size']).toBe(64 * MIB);
    expect(info['virtual-size'] % MIB).toBe(0);
    const compare = runForStatus('qemu-img', [
      'compare',
      '-f',
      'raw',
      '-F',
      'vpc',
      builderRawDisk,
      downloadedVhd,
    ]);
    expect(compare.status, compare.stdout + compare.stderr).toBe(0);
    const sha256 = createHash('sha256').update(readFileSync(downloadedVhd)).digest('hex');
    expect(sha256).toBe(downloadedManifest.vhd.sha256);
  });

  it('holds a GPT with the ESP and the root partition, 1 MiB aligned, with their names and labels', () => {
    const table = sfdiskJson(downloadedDisk);
    expect(table.label).toBe('gpt');
    expect(table.sectorsize).toBe(512);
    expect(table.partitions.map((p) => [p.type, p.name])).toEqual([
      [ESP_TYPE_GUID, 'p.UEFI'],
      [LINUX_ROOT_TYPE_GUIDS.x86_64, 'p.lxroot'],
    ]);
    for (const partition of table.partitions) {
      expect((partition.start * 512) % MIB).toBe(0);
      expect((partition.size * 512) % MIB).toBe(0);
    }
    const [esp, root] = table.partitions;
    expect(esp!.size * 512).toBe(16 * MIB);
    const fat = extract(downloadedDisk, esp!.start * 512, esp!.size * 512, join(dir, 'esp.fat'));
    const ext4 = extract(downloadedDisk, root!.start * 512, root!.size * 512, join(dir, 'root.ext4'));
    expect(run('blkid', ['-o', 'value', '-s', 'LABEL', fat]).trim()).toBe('EFI');
    expect(run('blkid', ['-o', 'value', '-s', 'LABEL', ext4]).trim()).toBe('azurelinux');
    expect(runForStatus('fsck.vfat', ['-n', fat]).status).toBe(0);
  });

  it('has a clean ext4 root holding the fixture packages files and the layout of azl-filesystem', () => {
    const ext4 = join(dir, 'root.ext4');
    const fsck = runForStatus('fsck.ext4', ['-n', '-f', ext4]);
    expect(fsck.status, fsck.stdout + fsck.stderr).toBe(0);
    const ls = (path: string) => run('debugfs', ['-R', `ls ${path}`, ext4]);
    expect(ls('/usr/bin')).toContain('azl-greeter');
    expect(ls('/usr/bin')).toContain('azl-hello-tool');
    expect(ls('/usr/lib64')).toContain('libazlhello.so.1');
    for (const folder of ['boot', 'etc', 'usr', 'var', 'tmp', 'home', 'root'])
      expect(ls('/')).toContain(folder);
    expect(run('debugfs', ['-R', 'stat /bin', ext4])).toContain('Fast link dest: "usr/bin"');
    expect(run('debugfs', ['-R', 'cat /etc/os-release', ext4])).toContain('ID=azurelinux');
    expect(run('debugfs', ['-R', 'cat /etc/fstab', ext4])).toBe(
      'LABEL=azurelinux / ext4 defaults 0 1\nLABEL=EFI /boot/efi vfat umask=0077,shortname=winnt 0 2\n',
    );
  });

  it("lists in its manifest exactly the NEVRAs the image's own rpm database holds, and what was left out", () => {
    const database = join(dir, 'rpmdb');
    mkdirSync(database, { recursive: true });
    run('debugfs', ['-R', `rdump /usr/lib/sysimage/rpm ${database}`, join(dir, 'root.ext4')]);
    const dbPath = join(database, 'rpm');
    expect(readdirSync(dbPath).length).toBeGreaterThan(0);
    const rpmSays = run('rpm', ['--dbpath', dbPath, '-qa', '--qf', '%{NAME}-%{VERSION}-%{RELEASE}.%{ARCH}\n'])
      .split('\n')
      .filter(Boolean)
      .sort();
    expect(downloadedManifest.packages.map((p) => p.nevra).sort()).toEqual(rpmSays);
    // Every binary package the demo builds that the image asks for, and azl-filesystem.
    expect(rpmSays).toEqual([
      'azl-filesystem-1.0-1.azl4.noarch',
      'azl-greeter-2.1-2.azl4.x86_64',
      'azl-hello-lib-1.0-3.azl4.x86_64',
      'azl-hello-tool-1.0-1.azl4.x86_64',
    ]);
    expect(builtNevras).toEqual(expect.arrayContaining(rpmSays));

    expect(downloadedManifest).toEqual(result.manifest);
    expect(downloadedManifest.requested).toMatchObject({
      packages: [
        'azl-filesystem',
        'azl-greeter',
        'azl-hello-lib',
        'azl-hello-tool',
        'grub2-efi-x64',
        'kernel',
        'shim',
      ],
      missing: ['grub2-efi-x64', 'kernel', 'shim'],
      allowMissing: true,
    });
    // The demo's repositories have no C library: the binaries' dependencies on it are unmet, and said so.
    const unresolved = downloadedManifest.requested.unresolved ?? [];
    for (const { capability } of unresolved) {
      expect(capability).toMatch(/^(libc\.so\.6\([A-Z0-9_.]*\)\(64bit\)|rtld\(GNU_HASH\))$/);
    }
    expect(unresolved).toContainEqual({
      capability: 'libc.so.6()(64bit)',
      neededBy: 'azl-greeter-2.1-2.azl4.x86_64',
    });
    expect(new Set(unresolved.map((d) => d.neededBy))).toEqual(
      new Set([
        'azl-greeter-2.1-2.azl4.x86_64',
        'azl-hello-lib-1.0-3.azl4.x86_64',
        'azl-hello-tool-1.0-1.azl4.x86_64',
      ]),
    );
    // azl-hello-tool's library is in the repository: that dependency is met.
    expect(unresolved.map((d) => d.capability)).not.toContain('libazlhello.so.1()(64bit)');
    expect(result.kernels).toEqual([]);
    expect(result.warnings).toEqual([
      'left out, no repository has them: grub2-efi-x64, shim, kernel',
      expect.stringMatching(
        /^installed with dependencies no repository provides: .*libc\.so\.6\(\)\(64bit\)/,
      ),
      'no kernel is installed: the image has no boot entry and cannot boot',
    ]);
  });

  it('has its SBOM beside it, readable by URL too, naming the installed packages', async () => {
    const sbom = JSON.parse((await download(published.sbom)).toString('utf8')) as {
      spdxVersion: string;
      packages: { name: string; versionInfo?: string }[];
    };
    expect(sbom.spdxVersion).toBe('SPDX-2.3');
    expect(sbom.packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(['azl-filesystem', 'azl-greeter', 'azl-hello-lib', 'azl-hello-tool']),
    );
  });
});

describe("the real tree's vm-base against the demo's repository", () => {
  it('fails listing exactly the packages the demo repository lacks', async () => {
    const tree = loadDistroTree(new FsDistroFiles(), fixturePath('azurelinux'));
    const loaded = await loadImageDescription(tree, 'vm-base');
    const definition = resolveImageDefinition(loaded.entry, loaded.description, 'x86_64');
    const asked = requestedPackages(definition);
    const demoNames = new Set(builtNevras.map((nevra) => nevra.replace(/-[^-]+-[^-]+$/, '')));

    const error = await failure(
      buildLocalImage({
        definition,
        description: { file: 'base/images/vm-base/vm-base.kiwi', sha256: 'a'.repeat(64) },
        repositories: [{ id: 'base/x86_64', baseUrl: repoUrl }],
        image: { name: 'vm-base', version: '0.0.0' },
        workDir: join(dir, 'vm-base-work'),
        outDir: join(dir, 'vm-base-out'),
        allowMissing: false,
        builderVersion: '0.0.0-test',
      }),
    );

    expect(error.code).toBe('image.missing-packages');
    expect(String(error.context.missing).split(' ').sort()).toEqual(
      asked.filter((name) => !demoNames.has(name)).sort(),
    );
  }, 120_000);
});

import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PipelineError } from '../../shared/errors';
import { buildGpt } from '../../shared/images/disk';
import { imageFingerprint } from '../../shared/images/fingerprint';
import {
  ESP_PARTITION_NAME,
  localDiskGptSpec,
  localDiskLayout,
  ROOT_PARTITION_NAME,
} from '../../shared/images/local-disk-layout';
import { buildImageManifest, imageManifestJson, VHD_FOOTER_BYTES } from '../../shared/images/manifest';
import type { ImageManifest, UnresolvedDependency } from '../../shared/images/manifest';
import { requestedPackages } from '../../shared/images/resolve-definition';
import type { ImageDefinition } from '../../shared/images/resolve-definition';
import { buildImageSbom, imageSbomJson } from '../../shared/images/spdx';
import { vhdBlobName } from '../../shared/images/vhd-blob-name';
import type { Progress } from '../../shared/progress';
import { silentProgress } from '../../shared/progress';
import { writeFixedVhd, writeRawDisk } from './disk-image-writer';
import type { DiskImagePlan } from './disk-image-writer';
import { IMAGE_RPM_DBPATH, installIntoRoot, missingPackageNames } from './dnf-installroot';
import type { ImageRepositorySource } from './dnf-installroot';
import { installLeavingOutUnresolved } from './install-leaving-out-unresolved';
import { readInstalledPackages } from './installed-packages';
import { makeExt4FileSystem, makeFatFileSystem } from './partition-filesystems';
import { repositoryRevision } from './repository-revision';
import { stageBootFiles } from './stage-boot-files';
import { scanVhd } from './vhd-scan';

/**
 * The local image builder: a disk image from a resolved definition and the pipeline's published repositories,
 * with the tools of any Linux machine and no mount, loop device or Azure. The steps:
 *
 * 1. the repositories' revisions (their `repomd.xml`), for the manifest and the fingerprint;
 * 2. which requested packages no repository has (`dnf repoquery`): a permanent `image.missing-packages`
 *    naming every one, unless `allowMissing`, when they are left out and the manifest says so;
 * 3. `dnf --installroot` of the rest into `<workDir>/root`, from those repositories only; when dnf refuses
 *    because a dependency is in no repository and `allowMissing`, the packages are installed without it
 *    (`install-leaving-out-unresolved.ts`) and the manifest lists the unmet dependencies;
 * 4. `/etc/fstab` by label and a boot entry per installed kernel (`stage-boot-files.ts`);
 * 5. the root file system (`mkfs.ext4 -d`, the root partition's size) and the EFI system partition (FAT,
 *    filled from the staged `/boot/efi`, which stays an empty mount point in the root file system);
 * 6. the GPT and the fixed VHD (`writeFixedVhd`), virtual size the description's size;
 * 7. `manifest.json` and `sbom.spdx.json` beside the VHD, with the VHD's SHA-256.
 *
 * The work dir keeps the staged root and the partition images for the caller to inspect or remove.
 */
export interface LocalImageBuildRequest {
  /** A disk image (`oem`, `vhd-fixed`, EFI, ext4): see `localDiskLayout` for what the local builder carries. */
  readonly definition: ImageDefinition;
  /** The kiwi description, as the manifest names it: its path in the tree and the SHA-256 of its bytes. */
  readonly description: { readonly file: string; readonly sha256: string };
  /** Replace the description's `<repository>` entries; at least one. */
  readonly repositories: readonly ImageRepositorySource[];
  /** The image's name and version: the VHD is `<outDir>/<name>-<version>.vhd`. */
  readonly image: { readonly name: string; readonly version: string };
  /** An empty (or new) folder for the staged root and the partition images. */
  readonly workDir: string;
  readonly outDir: string;
  /** Leave out (and record) requested packages no repository has, instead of failing. */
  readonly allowMissing: boolean;
  /** The azl-rebuilder version, for the manifest. */
  readonly builderVersion: string;
  /** Also write the raw disk here (the VHD without its footer), to compare or boot elsewhere. */
  readonly rawDiskPath?: string;
  readonly progress?: Progress;
  readonly now?: () => Date;
}

export interface LocalImageBuildResult {
  readonly vhdPath: string;
  readonly manifestPath: string;
  readonly sbomPath: string;
  readonly manifest: ImageManifest;
  /** The staged root the image's root file system was made from (its rpm database included). */
  readonly stagingRoot: string;
  /** The kernel versions with a boot entry; empty: no kernel was installed, so the image cannot boot. */
  readonly kernels: readonly string[];
  /** What a reader should know: packages left out, dependencies left unmet, no kernel. */
  readonly warnings: readonly string[];
}

/** The local builder's name in manifests (`builder.kind`). */
export const LOCAL_BUILDER_KIND = 'local';
const MANIFEST_FILE = 'manifest.json';
const SBOM_FILE = 'sbom.spdx.json';
const MIB = 1024 * 1024;

export async function buildLocalImage(request: LocalImageBuildRequest): Promise<LocalImageBuildResult> {
  const { definition, workDir, outDir } = request;
  const progress = request.progress ?? silentProgress;
  const now = request.now ?? (() => new Date());
  const layout = localDiskLayout(definition);
  checkLocalPackageSettings(definition);
  if (request.repositories.length === 0) {
    throw PipelineError.permanent(
      'image.unsupported-setting',
      'an image build needs at least one repository',
      {
        image: definition.image,
        element: 'repositories',
      },
    );
  }
  const vhdFile = basename(vhdBlobName(request.image.name, request.image.version));

  const steps = progress.begin(5, 'steps');
  let root: string;
  let kernels: readonly string[];
  let missing: string[];
  let requested: string[];
  let revisions: number[];
  let unresolved: UnresolvedDependency[] = [];
  const stagedEsp = join(workDir, 'esp');
  const rootImage = join(workDir, 'root.ext4');
  const espImage = join(workDir, 'esp.fat');
  const gpt = buildGpt(
    localDiskGptSpec(layout, { disk: randomUUID(), esp: randomUUID(), root: randomUUID() }),
  );
  try {
    await mkdir(workDir, { recursive: true });
    await mkdir(outDir, { recursive: true });
    revisions = await Promise.all(request.repositories.map((r) => repositoryRevision(r.baseUrl)));
    steps.advance();

    requested = requestedPackages(definition);
    const dnf = {
      repositories: request.repositories,
      releaseVersion: definition.releaseVersion ?? '4.0',
      arch: definition.arch,
      workDir,
    };
    missing = await missingPackageNames(requested, dnf);
    if (missing.length > 0 && !request.allowMissing) {
      throw PipelineError.permanent(
        'image.missing-packages',
        `image '${definition.image}': no repository has ${missing.length} of the ${requested.length} packages it asks for: ${missing.join(', ')}`,
        { image: definition.image, missing: missing.join(' '), count: missing.length },
      );
    }
    steps.advance();

    root = join(workDir, 'root');
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const installing = requested.filter((name) => !missing.includes(name));
    const groups = [...definition.packages.collections.bootstrap, ...definition.packages.collections.image];
    const install = {
      ...dnf,
      ...(definition.rpmExcludeDocs !== undefined && { excludeDocs: definition.rpmExcludeDocs }),
      exclude: definition.packages.ignore,
    };
    try {
      await installIntoRoot(root, [...installing, ...groups.map((group) => `@${group}`)], install);
    } catch (error) {
      if (!(request.allowMissing && groups.length === 0 && isUnprovidedDependency(error))) throw error;
      await rm(root, { recursive: true, force: true });
      await mkdir(root, { recursive: true });
      unresolved = await installLeavingOutUnresolved(root, installing, install);
    }
    await emptyFolder(join(root, 'var/cache/dnf'));
    steps.advance();

    ({ kernels } = await stageBootFiles(root, {
      fstab: {
        rootLabel: layout.root.label,
        rootFilesystem: layout.root.filesystem,
        espLabel: layout.esp.label,
        ...(layout.root.mountOptions !== undefined && { rootMountOptions: layout.root.mountOptions }),
      },
      title: definition.kiwiName,
      machineId: randomBytes(16).toString('hex'),
      ...(layout.kernelCmdline !== undefined && { kernelCmdline: layout.kernelCmdline }),
    }));
    steps.advance();

    // The ESP's files go to the FAT; /boot/efi stays in the root file system as the empty mount point.
    await rm(stagedEsp, { recursive: true, force: true });
    await mkdir(join(root, 'boot'), { recursive: true });
    await rename(join(root, 'boot/efi'), stagedEsp).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
    await mkdir(join(root, 'boot/efi'), { recursive: true });
    const partitionSize = (name: string): number => gpt.layout.partitions.find((p) => p.name === name)!.size;
    await makeExt4FileSystem(rootImage, partitionSize(ROOT_PARTITION_NAME), {
      label: layout.root.label,
      from: root,
    });
    await makeFatFileSystem(espImage, partitionSize(ESP_PARTITION_NAME), {
      label: layout.esp.label,
      from: stagedEsp,
    });
    steps.advance();
  } finally {
    steps.finish();
  }

  const plan = (onProgress?: DiskImagePlan['onProgress']): DiskImagePlan => ({
    gpt,
    contents: [
      { partition: ESP_PARTITION_NAME, imagePath: espImage },
      // The root file system becomes the VHD file itself (renamed, its offset inserted as a hole) unless the
      // raw disk is wanted too, which is written from it afterwards.
      {
        partition: ROOT_PARTITION_NAME,
        imagePath: rootImage,
        movable: request.rawDiskPath === undefined,
      },
    ],
    ...(onProgress !== undefined && { onProgress }),
  });
  const vhdPath = join(outDir, vhdFile);
  const builtAt = now();
  const written = await withMiBProgress(progress, 'MiB written', (onBytes) =>
    writeFixedVhd(
      vhdPath,
      plan(({ bytesDone, bytesTotal }) => onBytes(bytesDone, bytesTotal)),
      {
        createdAt: builtAt,
        uniqueId: randomUUID(),
      },
    ),
  );
  if (request.rawDiskPath !== undefined) await writeRawDisk(request.rawDiskPath, plan());
  // One read of the VHD gives its SHA-256 and the bytes that are not zero: what the sparse upload sends.
  const scan = await withMiBProgress(progress, 'MiB hashed', (onBytes) => scanVhd(vhdPath, onBytes));
  const { sha256 } = scan;

  const packages = await readInstalledPackages(root, { dbPath: IMAGE_RPM_DBPATH });
  const revisionOf = Object.fromEntries(request.repositories.map((r, i) => [r.id, revisions[i]!]));
  const manifest = buildImageManifest({
    image: request.image,
    fingerprint: imageFingerprint(definition, revisionOf),
    description: request.description,
    repositories: request.repositories.map((r, i) => ({
      repository: r.id,
      revision: revisions[i]!,
      baseUrl: r.baseUrl,
    })),
    packages,
    requested: { packages: requested, missing, allowMissing: request.allowMissing, unresolved },
    sizes: {
      virtualBytes: written.diskSize,
      vhdFileBytes: written.fileSize,
      dataBytes: scan.dataRanges.reduce((sum, r) => sum + r.end - r.start, 0) - VHD_FOOTER_BYTES,
    },
    vhd: { file: vhdFile, sha256 },
    builtAt,
    builder: { kind: LOCAL_BUILDER_KIND, version: request.builderVersion },
  });
  const manifestPath = join(outDir, MANIFEST_FILE);
  const sbomPath = join(outDir, SBOM_FILE);
  await writeFile(manifestPath, imageManifestJson(manifest));
  await writeFile(sbomPath, imageSbomJson(buildImageSbom(manifest)));
  return {
    vhdPath,
    manifestPath,
    sbomPath,
    manifest,
    stagingRoot: root,
    kernels,
    warnings: [
      ...(missing.length > 0 ? [`left out, no repository has them: ${missing.join(', ')}`] : []),
      ...(unresolved.length > 0
        ? [
            `installed with dependencies no repository provides: ${unresolved
              .map((d) => `${d.capability} (needed by ${d.neededBy})`)
              .join(', ')}`,
          ]
        : []),
      ...(kernels.length === 0
        ? ['no kernel is installed: the image has no boot entry and cannot boot']
        : []),
    ],
  };
}

/** dnf's refusal because something a package requires is in no repository (dnf 4 and 5 both say so). */
function isUnprovidedDependency(error: unknown): boolean {
  return PipelineError.is(error, 'image.install-failed') && /nothing provides /.test(error.message);
}

/**
 * Package settings the local builder does not carry: removing packages after the install (`delete`,
 * `uninstall`) and creating users need a chroot's scriptlets; kiwi (the cloud builder) does those.
 */
function checkLocalPackageSettings(definition: ImageDefinition): void {
  const refuse = (element: string, value: string) =>
    PipelineError.permanent(
      'image.unsupported-setting',
      `image '${definition.image}': ${element} (${value}) is not supported by the local image builder`,
      { image: definition.image, element, value },
    );
  const { delete: deleted, uninstall } = definition.packages;
  if (deleted.length > 0) throw refuse('packages[@type=delete]', deleted.join(','));
  if (uninstall.length > 0) throw refuse('packages[@type=uninstall]', uninstall.join(','));
  if (definition.users.length > 0) throw refuse('users', definition.users.map((u) => u.name).join(','));
}

async function emptyFolder(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  await Promise.all(entries.map((entry) => rm(join(dir, entry), { recursive: true, force: true })));
}

/** Runs `work` with a progress task counted in whole MiB of the bytes it reports. */
async function withMiBProgress<T>(
  progress: Progress,
  unit: string,
  work: (onBytes: (bytesDone: number, bytesTotal: number) => void) => Promise<T>,
): Promise<T> {
  let task: ReturnType<Progress['begin']> | undefined;
  let shown = 0;
  try {
    return await work((bytesDone, bytesTotal) => {
      task ??= progress.begin(Math.ceil(bytesTotal / MIB), unit);
      const mib = Math.floor(bytesDone / MIB);
      if (mib > shown) {
        task.advance(mib - shown);
        shown = mib;
      }
    });
  } finally {
    task?.finish();
  }
}

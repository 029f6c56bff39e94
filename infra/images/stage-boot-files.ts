import { copyFile, lstat, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { blsEntryPath, blsEntryText, fstabText } from '../../shared/images/boot-files';
import type { FstabInput } from '../../shared/images/boot-files';

export interface BootFilesInput {
  readonly fstab: FstabInput;
  /** The boot entries' title (before the kernel version). */
  readonly title: string;
  readonly kernelCmdline?: string;
  /** 32 lowercase hex digits naming the entries (`kernel-install`'s `<machine-id>-<kver>.conf`). */
  readonly machineId: string;
}

export interface BootFiles {
  /** The kernel versions found (one boot entry each), sorted; empty: the image has no kernel and cannot boot. */
  readonly kernels: readonly string[];
  /** The entries written, relative to the root. */
  readonly entries: readonly string[];
}

/**
 * Writes `/etc/fstab` into the staged `root` and, for each installed kernel, a boot entry. A kernel is a
 * `/usr/lib/modules/<kver>/vmlinuz` (where Fedora's kernel packages put it; `kernel-install` copies it to
 * `/boot` from a scriptlet, which may not have run in a staging root, so it is copied here when missing) or a
 * `/boot/vmlinuz-<kver>` (rescue images left out). Nothing outside `root` is read: `/lib` is looked at only
 * when it is a folder, not the symbolic link to `usr/lib` it usually is.
 */
export async function stageBootFiles(root: string, input: BootFilesInput): Promise<BootFiles> {
  await mkdir(join(root, 'etc'), { recursive: true });
  await writeFile(join(root, 'etc/fstab'), fstabText(input.fstab));
  const kernels = await installedKernels(root);
  const entries: string[] = [];
  for (const kernelVersion of kernels) {
    const boot = join(root, 'boot');
    await mkdir(boot, { recursive: true });
    const vmlinuz = join(boot, `vmlinuz-${kernelVersion}`);
    if (!(await exists(vmlinuz))) {
      await copyFile(join(await modulesDirOf(root, kernelVersion), 'vmlinuz'), vmlinuz);
    }
    const entry = blsEntryPath({ kernelVersion, machineId: input.machineId });
    await mkdir(join(root, 'boot/loader/entries'), { recursive: true });
    await writeFile(
      join(root, entry),
      blsEntryText({
        kernelVersion,
        machineId: input.machineId,
        title: input.title,
        rootLabel: input.fstab.rootLabel,
        hasInitramfs: await exists(join(boot, `initramfs-${kernelVersion}.img`)),
        ...(input.kernelCmdline !== undefined && { kernelCmdline: input.kernelCmdline }),
      }),
    );
    entries.push(entry);
  }
  return { kernels, entries };
}

async function installedKernels(root: string): Promise<string[]> {
  const found = new Set<string>();
  for (const modules of await modulesDirs(root)) {
    for (const kver of await names(modules)) {
      if (await exists(join(modules, kver, 'vmlinuz'))) found.add(kver);
    }
  }
  for (const file of await names(join(root, 'boot'))) {
    const match = /^vmlinuz-(.+)$/.exec(file);
    if (match && !match[1]!.startsWith('0-rescue-')) found.add(match[1]!);
  }
  return [...found].sort();
}

async function modulesDirs(root: string): Promise<string[]> {
  const dirs = [join(root, 'usr/lib/modules')];
  const lib = join(root, 'lib');
  if ((await lstatOrUndefined(lib))?.isDirectory() === true) dirs.push(join(lib, 'modules'));
  return dirs;
}

async function modulesDirOf(root: string, kernelVersion: string): Promise<string> {
  for (const modules of await modulesDirs(root)) {
    if (await exists(join(modules, kernelVersion, 'vmlinuz'))) return join(modules, kernelVersion);
  }
  throw new Error(`no vmlinuz for kernel ${kernelVersion} under ${root}`);
}

async function names(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

const lstatOrUndefined = (path: string) => lstat(path).catch(() => undefined);
const exists = async (path: string): Promise<boolean> => (await lstatOrUndefined(path)) !== undefined;

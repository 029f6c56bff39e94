/**
 * The boot files the local image builder writes into the staged root, as text: `/etc/fstab` mounting the
 * root and the EFI system partition by label, and a Boot Loader Specification entry
 * (uapi-group.org/specifications/specs/boot_loader_specification, type #1) for an installed kernel, the
 * files grub2's `blscfg` reads from `/boot/loader/entries/`.
 */

export interface FstabInput {
  readonly rootLabel: string;
  readonly rootFilesystem: string;
  readonly rootMountOptions?: string;
  readonly espLabel: string;
}

/** `/etc/fstab`: the root by its label (checked first, pass 1), the ESP at `/boot/efi` by its FAT label. */
export function fstabText(input: FstabInput): string {
  return [
    `LABEL=${input.rootLabel} / ${input.rootFilesystem} ${input.rootMountOptions ?? 'defaults'} 0 1`,
    // The FAT options Fedora's installer writes: only root reads the ESP, short names as Windows writes them.
    `LABEL=${input.espLabel} /boot/efi vfat umask=0077,shortname=winnt 0 2`,
    '',
  ].join('\n');
}

export interface BlsEntryInput {
  /** The kernel's version (`uname -r`): the folder name under `/lib/modules`. */
  readonly kernelVersion: string;
  /** 32 lowercase hex digits: the entry's file name starts with it, as `kernel-install` names entries. */
  readonly machineId: string;
  readonly title: string;
  readonly rootLabel: string;
  /** The description's kernel command line, appended after the root. */
  readonly kernelCmdline?: string;
  /** Whether `/boot/initramfs-<kver>.img` exists; an entry names only files that are there. */
  readonly hasInitramfs: boolean;
}

/** Where the entry goes, relative to the root: `boot/loader/entries/<machine-id>-<kver>.conf`. */
export function blsEntryPath(input: Pick<BlsEntryInput, 'kernelVersion' | 'machineId'>): string {
  return `boot/loader/entries/${input.machineId}-${input.kernelVersion}.conf`;
}

/** The entry: the kernel and initramfs under `/boot` on the root file system (no separate /boot). */
export function blsEntryText(input: BlsEntryInput): string {
  const options = [`root=LABEL=${input.rootLabel}`, input.kernelCmdline?.trim()].filter(Boolean).join(' ');
  return [
    `title ${input.title} (${input.kernelVersion})`,
    `version ${input.kernelVersion}`,
    `linux /boot/vmlinuz-${input.kernelVersion}`,
    ...(input.hasInitramfs ? [`initrd /boot/initramfs-${input.kernelVersion}.img`] : []),
    `options ${options}`,
    '',
  ].join('\n');
}

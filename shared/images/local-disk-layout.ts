import { PipelineError } from '../errors';
import type { GptArchitecture, GptDiskSpec } from './disk';
import type { ImageDefinition } from './resolve-definition';

const MIB = 1024 * 1024;

/** kiwi's GPT partition names (`p.UEFI`, `p.lxroot`), so a disk of ours reads like one kiwi wrote. */
export const ESP_PARTITION_NAME = 'p.UEFI';
export const ROOT_PARTITION_NAME = 'p.lxroot';
/** The FAT label of the EFI system partition, as kiwi writes it; `/etc/fstab` mounts `/boot/efi` by it. */
export const ESP_LABEL = 'EFI';

/** What the local builder writes for a disk image: the GPT and the file systems that go into it. */
export interface LocalDiskLayout {
  /** The disk's (and the VHD's virtual) size: the description's size, a whole MiB. */
  readonly diskSize: number;
  readonly architecture: GptArchitecture;
  readonly esp: { readonly sizeBytes: number; readonly label: string };
  readonly root: { readonly label: string; readonly filesystem: 'ext4'; readonly mountOptions?: string };
  /** Kernel command line options for the boot entry (the description's `kernelcmdline`). */
  readonly kernelCmdline?: string;
}

/**
 * The disk the local builder lays out for `definition`: a GPT with the EFI system partition (FAT) and the
 * root partition (ext4) taking the rest, written as a fixed VHD of the description's size. The local builder
 * carries only that shape; anything else in the definition (BIOS firmware, an msdos table, another root file
 * system, a separate /boot, custom partitions, a size that is additive or absent, another disk format) is a
 * permanent `image.unsupported-setting` naming the setting, rather than a disk that silently differs from the
 * description. kiwi (the cloud builder) builds those.
 */
export function localDiskLayout(definition: ImageDefinition): LocalDiskLayout {
  const unsupported = (setting: string, value: string, why: string): PipelineError =>
    PipelineError.permanent(
      'image.unsupported-setting',
      `image '${definition.image}': ${setting}=${value} is not supported by the local image builder (${why})`,
      { image: definition.image, element: setting, value },
    );
  const disk = definition.disk;
  if (definition.kind !== 'oem' || disk === undefined) {
    throw unsupported('type@image', definition.kind, 'it builds disk images: image="oem"');
  }
  if (disk.format !== 'vhd-fixed') {
    throw unsupported('type@format', disk.format ?? '(none)', 'it writes fixed VHDs: format="vhd-fixed"');
  }
  if (disk.partitionTable !== 'gpt' || disk.efiPartition === undefined) {
    throw unsupported('type@firmware', disk.firmware, 'it writes a GPT with an EFI system partition');
  }
  if (disk.root.filesystem !== 'ext4') {
    throw unsupported('type@filesystem', disk.root.filesystem, 'it writes the root with mkfs.ext4 -d');
  }
  if (disk.bootPartition !== undefined) {
    throw unsupported('type@bootpartition', 'true', 'it keeps /boot on the root file system');
  }
  if (disk.partitions.length > 0) {
    throw unsupported(
      'type/partitions',
      disk.partitions.map((p) => p.name).join(','),
      'no custom partitions',
    );
  }
  if (disk.sizeBytes === undefined || disk.sizeAdditive) {
    throw unsupported('type/size', disk.sizeAdditive ? 'additive' : '(none)', 'it needs the disk size');
  }
  if (disk.sizeBytes % MIB !== 0 || disk.efiPartition.sizeBytes % MIB !== 0) {
    throw unsupported('type/size', String(disk.sizeBytes), 'sizes must be whole MiB, as Azure requires');
  }
  if (definition.arch !== 'x86_64' && definition.arch !== 'aarch64') {
    throw unsupported('arch', definition.arch, 'x86_64 and aarch64 only');
  }
  return {
    diskSize: disk.sizeBytes,
    architecture: definition.arch,
    esp: { sizeBytes: disk.efiPartition.sizeBytes, label: ESP_LABEL },
    root: {
      label: disk.root.label,
      filesystem: 'ext4',
      ...(disk.root.mountOptions !== undefined && { mountOptions: disk.root.mountOptions }),
    },
    ...(disk.kernelCmdline !== undefined && { kernelCmdline: disk.kernelCmdline }),
  };
}

/** The GPT of `layout`: the ESP first, the root taking the rest; the GUIDs are the caller's (random or fixed). */
export function localDiskGptSpec(
  layout: LocalDiskLayout,
  guids: { readonly disk: string; readonly esp: string; readonly root: string },
): GptDiskSpec {
  return {
    diskSize: layout.diskSize,
    architecture: layout.architecture,
    diskGuid: guids.disk,
    partitions: [
      { name: ESP_PARTITION_NAME, type: 'esp', size: layout.esp.sizeBytes, guid: guids.esp },
      { name: ROOT_PARTITION_NAME, type: 'linux-root', size: 'rest', guid: guids.root },
    ],
  };
}

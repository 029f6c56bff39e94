/**
 * The GPT partition type GUIDs an image disk uses.
 *
 * The root file system gets the architecture's root type of the Discoverable Partitions Specification
 * (uapi-group.org/specifications/specs/discoverable_partitions_specification), not the generic "Linux
 * filesystem data" type (0FC63DAF-8483-4772-8E79-3D69D8477DE4) that kiwi's `8300` writes: the issue asks for
 * "Linux root", `sfdisk` then names it "Linux root (x86-64)", and systemd-gpt-auto-generator can find the root
 * on its own. The image still mounts its root by label (`/etc/fstab`, the kernel command line), so nothing
 * depends on the type; a firmware or boot loader treats both types alike.
 */
export type GptPartitionType = 'esp' | 'linux-root';

/** The architectures an image is built for; each has its own root partition type. */
export type GptArchitecture = 'x86_64' | 'aarch64';

/** EFI System Partition (UEFI specification, "GPT Partition Type GUIDs"). */
export const ESP_TYPE_GUID = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';

/** Root partition types of the Discoverable Partitions Specification. */
export const LINUX_ROOT_TYPE_GUIDS: Readonly<Record<GptArchitecture, string>> = {
  x86_64: '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709',
  aarch64: 'B921B045-1DF0-41C3-AF44-4C6F280D3FAE',
};

/** The type GUID a partition of `type` gets on a disk for `architecture`. */
export function partitionTypeGuid(type: GptPartitionType, architecture: GptArchitecture): string {
  return type === 'esp' ? ESP_TYPE_GUID : LINUX_ROOT_TYPE_GUIDS[architecture];
}

/**
 * A kiwi image description (kiwi-ng schema 8.x, `kiwi/schema/kiwi.rnc`) as written: every section with the
 * profiles it is bound to, before any profile or architecture is selected (`resolve-definition.ts` does that).
 * It carries the part of kiwi that Azure Linux's descriptions use, and what a disk or container image of that
 * kind needs; anything else in a file is refused by the parser rather than dropped. Sizes keep kiwi's units:
 * `MiB` fields are kiwi's "MB" (kiwi computes them as 1024 × 1024 bytes).
 */
export interface KiwiDescription {
  /** The file it was read from, for errors. */
  readonly file: string;
  /** `<image name>`: the image's file name stem (`azl4-vm-base`). */
  readonly name: string;
  readonly displayName?: string;
  readonly schemaVersion: string;
  readonly description: KiwiAbout;
  /** `<profiles>`; empty when the description has none. */
  readonly profiles: readonly KiwiProfile[];
  readonly preferences: readonly KiwiPreferences[];
  /** `<repository>` entries: kept so that a builder can replace them (`kiwi --ignore-repos --add-repo`). */
  readonly repositories: readonly KiwiRepository[];
  readonly packages: readonly KiwiPackages[];
  readonly users: readonly KiwiUsers[];
}

/** A section's `profiles` attribute: the profiles it applies to; empty means "whatever is selected". */
export type ProfileNames = readonly string[];

export interface KiwiAbout {
  readonly type: 'system' | 'boot';
  readonly author: string;
  readonly contacts: readonly string[];
  readonly specification: string;
  readonly license?: string;
}

export interface KiwiProfile {
  readonly name: string;
  readonly description: string;
  /** kiwi selects the `import="true"` profiles when none is asked for. */
  readonly import: boolean;
  /** `<requires profile>`: profiles selected together with this one. */
  readonly requires: readonly string[];
}

export interface KiwiPreferences {
  readonly profiles: ProfileNames;
  readonly version?: string;
  readonly packageManager?: PackageManager;
  readonly locale?: string;
  readonly keytable?: string;
  readonly timezone?: string;
  readonly releaseVersion?: string;
  readonly rpmExcludeDocs?: boolean;
  readonly rpmCheckSignatures?: boolean;
  readonly rpmLocaleFiltering?: boolean;
  readonly types: readonly KiwiType[];
}

/** `<type image>` values the model carries: a disk image (`oem`) or a container (`oci`, `docker`). */
export const IMAGE_KINDS = ['oem', 'oci', 'docker'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

/** `<type format>` for `oem`: the virtual disk formats `qemu-img` writes without further settings. */
export const DISK_FORMATS = ['vhd-fixed', 'vhd', 'vhdx', 'qcow2', 'vmdk', 'vdi'] as const;
export type DiskFormat = (typeof DISK_FORMATS)[number];

/** `<type firmware>`: `efi` and `uefi` (EFI with shim for secure boot) boot Hyper-V generation 2, `bios` 1. */
export const FIRMWARES = ['uefi', 'efi', 'bios'] as const;
export type Firmware = (typeof FIRMWARES)[number];

export const ROOT_FILESYSTEMS = ['ext4', 'ext3', 'ext2', 'xfs', 'btrfs'] as const;
export type RootFilesystem = (typeof ROOT_FILESYSTEMS)[number];

export const PARTITION_FILESYSTEMS = [...ROOT_FILESYSTEMS, 'fat32', 'fat16'] as const;
export type PartitionFilesystem = (typeof PARTITION_FILESYSTEMS)[number];

export const BOOTLOADERS = ['grub2', 'systemd_boot'] as const;
export type Bootloader = (typeof BOOTLOADERS)[number];

/** RPM package managers only: the pipeline publishes rpm-md repositories. */
export const PACKAGE_MANAGERS = ['dnf5', 'dnf4', 'microdnf'] as const;
export type PackageManager = (typeof PACKAGE_MANAGERS)[number];

export const INITRD_SYSTEMS = ['dracut', 'none'] as const;
export type InitrdSystem = (typeof INITRD_SYSTEMS)[number];

export interface KiwiType {
  readonly image: ImageKind;
  /** `primary="true"`: the type built when the selected preferences hold several. */
  readonly primary: boolean;
  readonly format?: DiskFormat;
  /** `formatoptions`, split at commas: qemu-img `-o` options (`force_size`, `subformat=fixed`). */
  readonly formatOptions: readonly string[];
  readonly filesystem?: RootFilesystem;
  readonly firmware?: Firmware;
  /** Extra kernel command line options. */
  readonly kernelCmdline?: string;
  readonly initrdSystem?: InitrdSystem;
  readonly bootPartition?: boolean;
  readonly bootPartSizeMiB?: number;
  /** Size of the EFI system partition; kiwi's default is 20 MiB. */
  readonly efiPartSizeMiB?: number;
  readonly efiPartTable?: 'gpt' | 'msdos';
  /** Legacy BIOS (CSM) boot next to EFI; kiwi's default is on. */
  readonly efiCsm?: boolean;
  readonly overlayRoot?: boolean;
  /** The root filesystem's label; kiwi's default is `ROOT`. */
  readonly rootfsLabel?: string;
  readonly devicePersistency?: 'by-uuid' | 'by-label' | 'by-partuuid';
  readonly fsMountOptions?: string;
  readonly bootloader?: KiwiBootloader;
  readonly size?: KiwiSize;
  readonly oemConfig?: KiwiOemConfig;
  /** `<partitions>`: custom partitions besides the ones kiwi lays out itself. */
  readonly partitions: readonly KiwiPartition[];
  readonly containerConfig?: KiwiContainerConfig;
}

export interface KiwiBootloader {
  readonly name: Bootloader;
  /** Boot Loader Specification entries (`/boot/loader/entries`) rather than a generated menu. */
  readonly bls?: boolean;
  /** grub's terminal: `serial`, `console`, `gfxterm`, … (input and output may differ: `"serial console"`). */
  readonly console?: string;
  readonly serialLine?: string;
  /** Seconds before the default entry boots; kiwi's default is 10. */
  readonly timeout?: number;
  readonly timeoutStyle?: 'countdown' | 'hidden' | 'menu';
  readonly settings?: KiwiBootloaderSettings;
}

export interface KiwiOption {
  readonly name: string;
  readonly value?: string;
}

export interface KiwiBootloaderSettings {
  readonly shimOptions: readonly KiwiOption[];
  readonly installOptions: readonly KiwiOption[];
  readonly configOptions: readonly KiwiOption[];
}

export interface KiwiSize {
  readonly value: number;
  /** kiwi's default unit is `M`. */
  readonly unit: 'M' | 'G';
  /** `additive="true"`: added to the size the data needs instead of being the disk's size. */
  readonly additive: boolean;
}

export interface KiwiOemConfig {
  /** Repartition and grow the disk on first boot (kiwi's dracut module); kiwi's default is on. */
  readonly resize?: boolean;
  readonly resizeOnce?: boolean;
  readonly swap?: boolean;
  readonly swapSizeMiB?: number;
  readonly systemSizeMiB?: number;
}

export interface KiwiPartition {
  readonly name: string;
  readonly sizeMiB: number;
  readonly partitionName?: string;
  readonly partitionType?: 't.linux' | 't.raid';
  readonly mountpoint?: string;
  readonly filesystem?: PartitionFilesystem;
}

/** A container command: cleared (`clear="true"`) or a program with its arguments. */
export type KiwiCommand =
  | { readonly clear: true }
  | { readonly clear: false; readonly execute: string; readonly arguments: readonly string[] };

export interface KiwiContainerConfig {
  readonly name: string;
  readonly tag?: string;
  /** `additionalnames`, split at commas (`:latest` keeps the name and sets the tag). */
  readonly additionalNames: readonly string[];
  readonly maintainer?: string;
  readonly user?: string;
  readonly workingDir?: string;
  readonly entrypoint?: KiwiCommand;
  readonly subcommand?: KiwiCommand;
  readonly environment: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
}

export interface KiwiRepository {
  readonly profiles: ProfileNames;
  readonly type: 'rpm-md';
  readonly alias?: string;
  readonly priority?: number;
  readonly imageInclude?: boolean;
  readonly repositoryGpgCheck?: boolean;
  readonly packageGpgCheck?: boolean;
  readonly sourceType?: 'baseurl' | 'metalink' | 'mirrorlist';
  /** `<source path>`: a URL or a `dir://` / `obs://` style path. */
  readonly path: string;
}

/**
 * `<packages type>`: `bootstrap` fills the empty root, `image` is installed on top, `delete` and `uninstall`
 * are removed afterwards; a section named after an image kind (`oem`, `oci`, `docker`) is installed with
 * `image` when that kind is built.
 */
export const PACKAGES_SECTIONS = ['image', 'bootstrap', 'delete', 'uninstall', ...IMAGE_KINDS] as const;
export type PackagesSection = (typeof PACKAGES_SECTIONS)[number];

/** A name with the architectures it is for (`arch="x86_64,aarch64"`); absent means every architecture. */
export interface ArchFiltered {
  readonly name: string;
  readonly arch?: readonly string[];
}

export interface KiwiPackages {
  readonly type: PackagesSection;
  readonly profiles: ProfileNames;
  readonly packages: readonly ArchFiltered[];
  /** `<namedCollection>`: a comps group for RPM package managers. */
  readonly collections: readonly ArchFiltered[];
  /** `<ignore>`: packages that must not be installed even when something requires them. */
  readonly ignore: readonly ArchFiltered[];
}

export interface KiwiUsers {
  readonly profiles: ProfileNames;
  readonly users: readonly KiwiUser[];
}

export interface KiwiUser {
  readonly name: string;
  readonly password: string;
  readonly passwordFormat?: 'encrypted' | 'plain';
  readonly id?: number;
  readonly groups?: readonly string[];
  readonly home?: string;
  readonly shell?: string;
  readonly realName?: string;
}

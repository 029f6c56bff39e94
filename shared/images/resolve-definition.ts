import { PipelineError } from '../errors';
import type { ImageEntry } from './image-entry';
import type {
  ArchFiltered,
  DiskFormat,
  Firmware,
  ImageKind,
  KiwiBootloader,
  KiwiContainerConfig,
  KiwiDescription,
  KiwiOemConfig,
  KiwiPreferences,
  KiwiRepository,
  KiwiType,
  KiwiUser,
  PackageManager,
  PartitionFilesystem,
  RootFilesystem,
} from './kiwi-description';
import { parseKiwiDescription } from './parse-kiwi';
import { appliesTo, selectProfiles } from './profiles';

const MiB = 1024 * 1024;

/** kiwi's defaults where the description is silent (kiwi.rnc's documentation of each attribute). */
const DEFAULT_EFI_PARTITION_MIB = 20;
const DEFAULT_ROOT_LABEL = 'ROOT';

/** The Hyper-V generation an Azure image definition declares: `V2` boots UEFI, `V1` BIOS. */
export type HyperVGeneration = 'V1' | 'V2';

/**
 * One image of the tree as a builder needs it: its kiwi description with the image's profile applied and
 * filtered for one architecture. Everything is explicit (kiwi's defaults filled in), so two descriptions that
 * build the same image resolve to equal definitions whatever their layout or spelling.
 */
export interface ImageDefinition {
  /** The tree's image name (`vm-base`). */
  readonly image: string;
  /** The description's `<image name>` (`azl4-vm-base`). */
  readonly kiwiName: string;
  readonly arch: string;
  /** The selected profiles (the asked one and those it requires), in selection order. */
  readonly profiles: readonly string[];
  readonly version?: string;
  readonly packageManager?: PackageManager;
  readonly releaseVersion?: string;
  readonly locale?: string;
  readonly keytable?: string;
  readonly timezone?: string;
  readonly rpmExcludeDocs?: boolean;
  readonly rpmCheckSignatures?: boolean;
  readonly rpmLocaleFiltering?: boolean;
  readonly kind: ImageKind;
  /** For `oem`: the disk to write. */
  readonly disk?: DiskDefinition;
  /** For `oci` and `docker`: the container's configuration. */
  readonly container?: KiwiContainerConfig;
  readonly packages: ImagePackages;
  /** The description's repositories for the selected profiles; a builder replaces them with its own. */
  readonly repositories: readonly KiwiRepository[];
  readonly users: readonly KiwiUser[];
}

export interface DiskDefinition {
  readonly format?: DiskFormat;
  readonly formatOptions: readonly string[];
  /** `formatoptions` has `force_size`: the virtual size is exactly the disk's size (Azure needs whole MiB). */
  readonly forceSize: boolean;
  /** The disk's size; absent: as large as the data needs (kiwi computes it). */
  readonly sizeBytes?: number;
  /** `<size additive="true">`: `sizeBytes` is added to what the data needs. */
  readonly sizeAdditive: boolean;
  readonly firmware: Firmware;
  readonly hyperVGeneration: HyperVGeneration;
  readonly partitionTable: 'gpt' | 'msdos';
  /** The EFI system partition (FAT), present for `efi` and `uefi` firmware. */
  readonly efiPartition?: { readonly sizeBytes: number };
  /** A separate `/boot` partition, when `bootpartition="true"`. */
  readonly bootPartition?: { readonly sizeBytes?: number };
  readonly efiCsm?: boolean;
  readonly root: {
    readonly filesystem: RootFilesystem;
    readonly label: string;
    readonly mountOptions?: string;
  };
  readonly partitions: readonly {
    readonly name: string;
    readonly sizeBytes: number;
    readonly partitionName?: string;
    readonly partitionType?: 't.linux' | 't.raid';
    readonly mountpoint?: string;
    readonly filesystem?: PartitionFilesystem;
  }[];
  readonly kernelCmdline?: string;
  readonly bootloader?: KiwiBootloader;
  readonly initrdSystem?: 'dracut' | 'none';
  readonly overlayRoot?: boolean;
  readonly devicePersistency?: 'by-uuid' | 'by-label' | 'by-partuuid';
  readonly oemConfig?: KiwiOemConfig;
}

/** Package names for the architecture, each list in document order without repeats. */
export interface ImagePackages {
  /** Installed first, into the empty root. */
  readonly bootstrap: readonly string[];
  /** Installed on top (`<packages type="image">` and the section named after the image kind). */
  readonly image: readonly string[];
  /** `<namedCollection>` groups, by phase. */
  readonly collections: { readonly bootstrap: readonly string[]; readonly image: readonly string[] };
  /** `<ignore>`: never installed. */
  readonly ignore: readonly string[];
  /** `<packages type="delete">` / `"uninstall"`: removed after installation. */
  readonly delete: readonly string[];
  readonly uninstall: readonly string[];
}

/**
 * Resolves the image `entry` from its kiwi description (`kiwi`: the file's text, or the description already
 * parsed from it) for `arch` (`x86_64`, `aarch64`). Errors: those of `parseKiwiDescription`,
 * `image.unknown-profile`, and `image.invalid-definition` when the selected profiles leave no `<type>` or a
 * disk image without its root filesystem.
 */
export function resolveImageDefinition(
  entry: ImageEntry,
  kiwi: string | KiwiDescription,
  arch: string,
): ImageDefinition {
  const description = typeof kiwi === 'string' ? parseKiwiDescription(kiwi, entry.file) : kiwi;
  const profiles = selectProfiles(description, entry.profile);
  const applies = (section: { readonly profiles: readonly string[] }): boolean =>
    appliesTo(section.profiles, profiles);
  const preferences = description.preferences.filter(applies);
  const type = selectType(description, preferences, profiles);
  const first = <K extends keyof KiwiPreferences>(key: K): KiwiPreferences[K] | undefined =>
    preferences.find((p) => p[key] !== undefined)?.[key];
  const packages = description.packages.filter(applies);
  const names = (sections: readonly string[], pick: 'packages' | 'collections' | 'ignore'): string[] =>
    forArch(
      packages.filter((p) => sections.includes(p.type)).flatMap((p) => p[pick]),
      arch,
    );
  return {
    image: entry.name,
    kiwiName: description.name,
    arch,
    profiles,
    ...defined({
      version: first('version'),
      packageManager: first('packageManager'),
      releaseVersion: first('releaseVersion'),
      locale: first('locale'),
      keytable: first('keytable'),
      timezone: first('timezone'),
      rpmExcludeDocs: first('rpmExcludeDocs'),
      rpmCheckSignatures: first('rpmCheckSignatures'),
      rpmLocaleFiltering: first('rpmLocaleFiltering'),
    }),
    kind: type.image,
    ...(type.image === 'oem' ? { disk: diskOf(type, description.file, arch) } : {}),
    ...(type.containerConfig !== undefined && { container: type.containerConfig }),
    packages: {
      bootstrap: names(['bootstrap'], 'packages'),
      image: names(['image', type.image], 'packages'),
      collections: {
        bootstrap: names(['bootstrap'], 'collections'),
        image: names(['image', type.image], 'collections'),
      },
      ignore: names(['bootstrap', 'image', type.image], 'ignore'),
      delete: names(['delete'], 'packages'),
      uninstall: names(['uninstall'], 'packages'),
    },
    repositories: description.repositories.filter(applies),
    users: description.users.filter(applies).flatMap((u) => u.users),
  };
}

/** kiwi builds the `primary="true"` type of the selected preferences, else the first one. */
function selectType(
  description: KiwiDescription,
  preferences: readonly KiwiPreferences[],
  profiles: readonly string[],
): KiwiType {
  const types = preferences.flatMap((p) => p.types);
  const type = types.find((t) => t.primary) ?? types[0];
  if (type === undefined) {
    const selection = profiles.length > 0 ? ` for profile(s) ${profiles.join(', ')}` : '';
    throw PipelineError.permanent(
      'image.invalid-definition',
      `${description.file}: image/preferences/type: no image type${selection}`,
      { file: description.file, element: 'image/preferences/type' },
    );
  }
  return type;
}

function diskOf(type: KiwiType, file: string, arch: string): DiskDefinition {
  if (type.filesystem === undefined) {
    throw PipelineError.permanent(
      'image.invalid-definition',
      `${file}: image/preferences/type@filesystem: is required for image="oem"`,
      { file, element: 'image/preferences/type@filesystem' },
    );
  }
  const firmware = type.firmware ?? defaultFirmware(arch);
  const efi = firmware === 'efi' || firmware === 'uefi';
  const size = type.size;
  return {
    ...defined({ format: type.format }),
    formatOptions: type.formatOptions,
    forceSize: type.formatOptions.includes('force_size'),
    ...(size !== undefined && { sizeBytes: size.value * (size.unit === 'G' ? 1024 * MiB : MiB) }),
    sizeAdditive: size?.additive ?? false,
    firmware,
    hyperVGeneration: efi ? 'V2' : 'V1',
    // kiwi: EFI firmware writes a GPT unless efiparttable says otherwise; BIOS an msdos table.
    partitionTable: efi ? (type.efiPartTable ?? 'gpt') : 'msdos',
    ...(efi && { efiPartition: { sizeBytes: (type.efiPartSizeMiB ?? DEFAULT_EFI_PARTITION_MIB) * MiB } }),
    ...(type.bootPartition === true && {
      bootPartition: defined({
        sizeBytes: type.bootPartSizeMiB === undefined ? undefined : type.bootPartSizeMiB * MiB,
      }),
    }),
    root: {
      filesystem: type.filesystem,
      label: type.rootfsLabel ?? DEFAULT_ROOT_LABEL,
      ...defined({ mountOptions: type.fsMountOptions }),
    },
    partitions: type.partitions.map(({ sizeMiB, ...partition }) => ({
      ...partition,
      sizeBytes: sizeMiB * MiB,
    })),
    ...defined({
      efiCsm: type.efiCsm,
      kernelCmdline: type.kernelCmdline,
      bootloader: type.bootloader,
      initrdSystem: type.initrdSystem,
      overlayRoot: type.overlayRoot,
      devicePersistency: type.devicePersistency,
      oemConfig: type.oemConfig,
    }),
  };
}

/** kiwi's firmware when the type names none: BIOS on the x86 family, EFI elsewhere. */
function defaultFirmware(arch: string): Firmware {
  return /^(x86_64|i[3-6]86|ix86)$/.test(arch) ? 'bios' : 'efi';
}

/** kiwi's alternative spellings of an architecture. */
const ARCH_ALIASES: Readonly<Record<string, string>> = { arm64: 'aarch64', amd64: 'x86_64' };

/** The names meant for `arch` (no `arch` filter, or one naming it), in order, each once. */
export function forArch(entries: readonly ArchFiltered[], arch: string): string[] {
  const target = ARCH_ALIASES[arch] ?? arch;
  const names = entries
    .filter((e) => e.arch === undefined || e.arch.some((a) => (ARCH_ALIASES[a] ?? a) === target))
    .map((e) => e.name);
  return [...new Set(names)];
}

/** The members of `values` that are not undefined. */
function defined<T extends Record<string, unknown>>(
  values: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** The packages an image asks for by name, bootstrap first, each once: what a build must find in a repository. */
export function requestedPackages(definition: Pick<ImageDefinition, 'packages'>): string[] {
  return [...new Set([...definition.packages.bootstrap, ...definition.packages.image])];
}

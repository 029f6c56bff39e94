import { PipelineError } from '../../shared/errors';

/**
 * How an image of the distro tree is named and described in Azure Compute Gallery. An image definition holds
 * one OS type, state, Hyper-V generation and architecture, none of which can change after it is created, so
 * each (image, architecture) pair is its own definition, `<image>-<x64|arm64>`, whose name is also its SKU.
 */
export type GalleryArchitecture = 'x64' | 'Arm64';
export type HyperVGeneration = 'V1' | 'V2';

/** RPM architecture names (`x86_64`, `aarch64`) to the gallery's. */
export function galleryArchitecture(rpmArch: string): GalleryArchitecture {
  if (rpmArch === 'x86_64') return 'x64';
  if (rpmArch === 'aarch64') return 'Arm64';
  throw PipelineError.permanent(
    'gallery.rejected',
    `Azure Compute Gallery has no architecture for ${rpmArch} (x86_64 or aarch64)`,
    { arch: rpmArch },
  );
}

/**
 * kiwi's `firmware` to the Hyper-V generation Azure boots the image with: UEFI (`efi`, `uefi` with secure
 * boot) needs generation 2; `bios` is generation 1. Other kiwi firmwares (`ec2`, `ofw`, `opal`) do not boot
 * on Azure.
 */
export function hyperVGenerationFor(firmware: string): HyperVGeneration {
  const normalized = firmware.toLowerCase();
  if (normalized === 'efi' || normalized === 'uefi') return 'V2';
  if (normalized === 'bios') return 'V1';
  throw PipelineError.permanent(
    'gallery.rejected',
    `the firmware ${firmware} has no Hyper-V generation (efi or uefi: V2; bios: V1)`,
    { firmware },
  );
}

export function imageDefinitionName(image: string, architecture: GalleryArchitecture): string {
  return `${image}-${architecture.toLowerCase()}`;
}

const MAX_VERSION_PART = 2 ** 31 - 1;

/** Gallery image version names are `Major.Minor.Patch`, each a 32-bit signed integer. */
export function assertGalleryVersionName(version: string): void {
  const parts = /^(\d{1,10})\.(\d{1,10})\.(\d{1,10})$/.exec(version)?.slice(1).map(Number);
  if (parts?.every((part) => part <= MAX_VERSION_PART)) return;
  throw PipelineError.permanent(
    'gallery.invalid-version',
    `the gallery image version "${version}" is not Major.Minor.Patch (each at most ${MAX_VERSION_PART})`,
    { version },
  );
}

/**
 * The gallery version of an image version: the pipeline's `<yyyymmdd>.<n>` becomes `<yyyy>.<mmdd>.<n>` (month
 * and day as one number, so versions keep their order and each part stays a small integer); a version that
 * is already `Major.Minor.Patch` (one given to `image publish`) is kept. Anything else is
 * `gallery.invalid-version`.
 */
export function galleryVersionName(version: string): string {
  const generated = /^(\d{4})(\d{4})\.(\d{1,9})$/.exec(version);
  const name = generated ? `${generated[1]}.${Number(generated[2])}.${generated[3]}` : version;
  assertGalleryVersionName(name);
  return name;
}

import { z } from 'zod';
import { formatNevra } from '../rpm/nevra';

/**
 * One package installed in an image, as the image's rpm database records it: what the manifest lists and the
 * SBOM describes. Read by `infra/images/installed-packages.ts` (`rpm --root <dir> -qa`).
 */
export const installedPackageSchema = z
  .object({
    name: z.string().min(1),
    /** An unset epoch is 0, as rpm compares it (`%{EPOCHNUM}`). */
    epoch: z.number().int().nonnegative(),
    version: z.string().min(1),
    release: z.string().min(1),
    arch: z.string().min(1),
    /** `name-[epoch:]version-release.arch`, the epoch shown only when it is not 0 (`formatNevra`). */
    nevra: z.string().min(1),
    /** The RPM's License tag as written (an SPDX expression in Fedora since 2023, not always); null if unset. */
    license: z.string().nullable(),
    /** The source package it was built from (`x-1.0-1.src.rpm`); null when the header names none. */
    sourceRpm: z.string().nullable(),
    /** Installed size in bytes (`%{LONGSIZE}`: the sum of the file sizes). */
    sizeBytes: z.number().int().nonnegative(),
  })
  .strict();

export type InstalledPackage = z.infer<typeof installedPackageSchema>;

/** The fields rpm reports; the NEVRA is derived from them so it can never disagree. */
export type InstalledPackageFields = Omit<InstalledPackage, 'nevra'>;

export function installedPackage(fields: InstalledPackageFields): InstalledPackage {
  return { ...fields, nevra: formatNevra(fields) };
}

/**
 * The order of the manifest and the SBOM: by name, then arch, then NEVRA, compared by UTF-16 code units (not
 * the locale), so the same packages give the same bytes on every machine. Two versions of one name (kernels,
 * installonly packages) stay apart by their NEVRA.
 */
export function compareInstalledPackages(a: InstalledPackage, b: InstalledPackage): number {
  return compareText(a.name, b.name) || compareText(a.arch, b.arch) || compareText(a.nevra, b.nevra);
}

/** Plain code-unit order: `localeCompare` would depend on the machine's ICU data. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

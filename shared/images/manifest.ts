import { z } from 'zod';
import { PipelineError } from '../errors';
import { canonicalJson } from './canonical-json';
import {
  compareInstalledPackages,
  compareText,
  type InstalledPackage,
  installedPackageSchema,
} from './installed-package';

/**
 * `manifest.json`, written beside an image's VHD: what was built (image, version, fingerprint, the kiwi
 * description's hash), from what (the repositories and their revisions), what it holds (every installed
 * package, read from the image's own rpm database), what was asked for and left out, and the VHD's sizes and
 * SHA-256. `buildImageManifest` makes it, `parseImageManifest` reads one back, `imageManifestJson` writes the
 * bytes (canonical JSON: the same build gives the same file).
 */

const MIB = 1024 * 1024;
/** A fixed VHD is the raw disk followed by its 512-byte footer. */
export const VHD_FOOTER_BYTES = 512;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex SHA-256');
const byteCount = z.number().int().nonnegative();

export const imageRepositorySchema = z
  .object({
    /** The repository id as publishing names it (`<channel>/<arch>`). */
    repository: z.string().min(1),
    /** Its revision when the image was built (`repo.published`'s revision). */
    revision: z.number().int().min(1),
    baseUrl: z.url(),
  })
  .strict();

export type ImageRepository = z.infer<typeof imageRepositorySchema>;

/** A capability an installed package requires that no repository provides (rpm's "X is needed by Y"). */
export const unresolvedDependencySchema = z
  .object({
    capability: z.string().min(1),
    /** The installed package's NEVRA. */
    neededBy: z.string().min(1),
  })
  .strict();

export type UnresolvedDependency = z.infer<typeof unresolvedDependencySchema>;

export const imageManifestSchema = z
  .object({
    /** This document's format; a reader refuses any other. */
    manifestVersion: z.literal(1),
    image: z.object({ name: z.string().min(1), version: z.string().min(1) }).strict(),
    /** The image fingerprint (definition and repository revisions) the build was made for. */
    fingerprint: z.string().min(1),
    /** The kiwi description: its path in the distro tree and the SHA-256 of its bytes. */
    description: z.object({ file: z.string().min(1), sha256: sha256Hex }).strict(),
    /** Sorted by repository id. */
    repositories: z.array(imageRepositorySchema),
    /** Every installed package, sorted by name, arch and NEVRA. */
    packages: z.array(installedPackageSchema),
    requested: z
      .object({
        /** The package names the description asks for (sorted, each once). */
        packages: z.array(z.string().min(1)),
        /** Those no repository had (sorted, each once), left out because missing packages were allowed. */
        missing: z.array(z.string().min(1)),
        allowMissing: z.boolean(),
        /**
         * Dependencies of installed packages that no repository provides (sorted by capability, then by
         * package), left unmet because missing packages were allowed; absent when every one was met.
         */
        unresolved: z.array(unresolvedDependencySchema).min(1).optional(),
      })
      .strict(),
    sizes: z
      .object({
        /** The disk's size as a VM sees it: a whole MiB, as Azure requires. */
        virtualBytes: byteCount,
        /** The VHD file: the virtual size and the 512-byte footer. */
        vhdFileBytes: byteCount,
        /** Bytes of the disk that are not all zero: what a sparse upload sends. */
        dataBytes: byteCount,
      })
      .strict(),
    vhd: z.object({ file: z.string().min(1), sha256: sha256Hex }).strict(),
    builtAt: z.iso.datetime(),
    builder: z
      .object({
        /** Which image builder ran (the local one, a Container Apps Job execution, ...). */
        kind: z.string().min(1),
        /** The azl-rebuilder version that wrote the manifest. */
        version: z.string().min(1),
      })
      .strict(),
  })
  .strict()
  .superRefine((manifest, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });
    const { virtualBytes, vhdFileBytes, dataBytes } = manifest.sizes;
    if (virtualBytes % MIB !== 0) issue(['sizes', 'virtualBytes'], 'is not a whole MiB');
    if (vhdFileBytes !== virtualBytes + VHD_FOOTER_BYTES) {
      issue(['sizes', 'vhdFileBytes'], 'is not the virtual size and the 512-byte footer');
    }
    if (dataBytes > virtualBytes) issue(['sizes', 'dataBytes'], 'is larger than the disk');
    const requested = new Set(manifest.requested.packages);
    manifest.requested.missing.forEach((name, index) => {
      if (!requested.has(name)) issue(['requested', 'missing', index], `${name} was not asked for`);
    });
    if (manifest.requested.missing.length > 0 && !manifest.requested.allowMissing) {
      issue(['requested', 'missing'], 'packages are missing but missing packages were not allowed');
    }
    if (manifest.requested.unresolved !== undefined && !manifest.requested.allowMissing) {
      issue(['requested', 'unresolved'], 'dependencies are unmet but missing packages were not allowed');
    }
    const seen = new Set<string>();
    manifest.packages.forEach((pkg, index) => {
      if (seen.has(pkg.nevra)) issue(['packages', index, 'nevra'], `${pkg.nevra} is listed twice`);
      seen.add(pkg.nevra);
    });
  });

export type ImageManifest = z.infer<typeof imageManifestSchema>;

/** What the build knows; the builder sorts, dedupes and stamps the format. */
export interface ImageManifestInput {
  readonly image: { readonly name: string; readonly version: string };
  readonly fingerprint: string;
  readonly description: { readonly file: string; readonly sha256: string };
  readonly repositories: readonly ImageRepository[];
  readonly packages: readonly InstalledPackage[];
  readonly requested: {
    readonly packages: readonly string[];
    readonly missing: readonly string[];
    readonly allowMissing: boolean;
    readonly unresolved?: readonly UnresolvedDependency[];
  };
  readonly sizes: {
    readonly virtualBytes: number;
    readonly vhdFileBytes: number;
    readonly dataBytes: number;
  };
  readonly vhd: { readonly file: string; readonly sha256: string };
  readonly builtAt: Date;
  readonly builder: { readonly kind: string; readonly version: string };
}

/**
 * The manifest of one build. Lists come out sorted (repositories by id, packages by name, arch and NEVRA,
 * requested and missing names each once), so the input's order never shows. Input that breaks the manifest's
 * rules (a size that is not a whole MiB, a missing package not asked for, missing packages not allowed, a
 * NEVRA twice) is a permanent `image.manifest-invalid` naming the field.
 */
export function buildImageManifest(input: ImageManifestInput): ImageManifest {
  const manifest: ImageManifest = {
    manifestVersion: 1,
    image: { name: input.image.name, version: input.image.version },
    fingerprint: input.fingerprint,
    description: { file: input.description.file, sha256: input.description.sha256 },
    repositories: [...input.repositories]
      .map((r) => ({ repository: r.repository, revision: r.revision, baseUrl: r.baseUrl }))
      .sort((a, b) => compareText(a.repository, b.repository)),
    packages: [...input.packages].map((p) => ({ ...p })).sort(compareInstalledPackages),
    requested: {
      packages: sortedUnique(input.requested.packages),
      missing: sortedUnique(input.requested.missing),
      allowMissing: input.requested.allowMissing,
      ...(input.requested.unresolved !== undefined &&
        input.requested.unresolved.length > 0 && {
          unresolved: [...input.requested.unresolved]
            .map((d) => ({ capability: d.capability, neededBy: d.neededBy }))
            .sort((a, b) => compareText(a.capability, b.capability) || compareText(a.neededBy, b.neededBy)),
        }),
    },
    sizes: { ...input.sizes },
    vhd: { file: input.vhd.file, sha256: input.vhd.sha256 },
    builtAt: input.builtAt.toISOString(),
    builder: { kind: input.builder.kind, version: input.builder.version },
  };
  return parseImageManifest(manifest);
}

/** Reads a manifest (parsed JSON); anything that does not fit is a permanent `image.manifest-invalid`. */
export function parseImageManifest(value: unknown): ImageManifest {
  const parsed = imageManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') ?? '';
  throw PipelineError.permanent(
    'image.manifest-invalid',
    `the image manifest's ${field || 'document'} ${issue?.message ?? 'is malformed'}`,
    { field },
  );
}

/** The bytes of `manifest.json`. */
export function imageManifestJson(manifest: ImageManifest): string {
  return canonicalJson(manifest);
}

function sortedUnique(names: readonly string[]): string[] {
  return [...new Set(names)].sort(compareText);
}

import { z } from 'zod';
import type { UpstreamBuild } from './upstream-event';

/**
 * Zod primitives for the identifiers Fedora messages carry, shared by the topic modules, plus the small
 * parsers (NVR, SCM URL) that derive identifiers from strings. Every string has an upper bound: the
 * identifiers are short in practice, and a bound keeps a hostile megabyte string out of the event.
 */

/** A dist-git / Koji package name (`prusa-slicer`, `python-twisted`). */
export const packageName = z
  .string()
  .min(1)
  .max(255, 'package name longer than 255 characters')
  .regex(/^[^\s/]+$/, 'package name must not contain whitespace or "/"');

/** Version or release of an NVR: non-empty, no dash (the dash separates the NVR fields). */
export const nvrField = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\s-]+$/, 'must be non-empty and contain no "-" or whitespace');

/** Koji's epoch is null, an int, or (older hubs) a numeric string; normalized to `number | null`. */
export const epoch = z
  .union([
    z.null(),
    z.number().int().nonnegative().max(2_147_483_647),
    z.string().regex(/^\d{1,9}$/, 'epoch must be a number'),
  ])
  .transform((value) => (typeof value === 'string' ? Number(value) : value));

/** A Koji build, task, tag or repo id. */
export const kojiId = z.number().int().positive();

/** A Koji tag or build target (`f43-updates-testing-pending`, `rawhide`, `epel9-candidate`). */
export const tagName = z.string().min(1).max(255);

/** A dist-git branch (`rawhide`, `f43`, `epel10`). */
export const branchName = z.string().min(1).max(255);

/** A full git commit id (SHA-1, or SHA-256 for repositories that use it). */
export const commitSha = z
  .string()
  .regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'expected a full hexadecimal commit id (40 or 64 characters)');
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** A `name-version-release` string (Bodhi builds). */
export const nvrString = z
  .string()
  .max(512)
  .refine((value) => splitNvr(value) !== undefined, 'expected name-version-release');

export interface Nvr {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly nvr: string;
}

// Some producers (and Bodhi's own CI-message samples) append the architecture to an NVR, as in an RPM file
// name (`libselinux-2.8-6.fc29.x86_64`). A release never ends in an architecture, so it is dropped.
const ARCH_SUFFIX = /\.(?:src|noarch|x86_64|i686|aarch64|ppc64le|s390x|armv7hl|riscv64)$/;

/** Splits `name-version-release` on its last two dashes; undefined when a part would be empty. */
export function splitNvr(value: string): Nvr | undefined {
  const trimmed = value.replace(ARCH_SUFFIX, '');
  const releaseDash = trimmed.lastIndexOf('-');
  if (releaseDash <= 0) return undefined;
  const versionDash = trimmed.lastIndexOf('-', releaseDash - 1);
  if (versionDash <= 0) return undefined;
  const name = trimmed.slice(0, versionDash);
  const version = trimmed.slice(versionDash + 1, releaseDash);
  const release = trimmed.slice(releaseDash + 1);
  if (version === '' || release === '') return undefined;
  return { name, version, release, nvr: trimmed };
}

/**
 * The commit of a Koji SCM URL (`git+https://src.fedoraproject.org/rpms/<pkg>.git#<sha>`): the fragment, when
 * it is a full commit id. An SRPM path or a fragment naming a branch gives undefined.
 */
export function commitFromScmUrl(url: string): string | undefined {
  const hash = url.lastIndexOf('#');
  if (hash < 0) return undefined;
  const fragment = url.slice(hash + 1);
  return SHA.test(fragment) ? fragment : undefined;
}

/** An event build from NVR parts; `epoch` / `kojiBuildId` are left out when the message does not give them. */
export function toBuild(nvr: Nvr, epoch?: number | null, kojiBuildId?: number | null): UpstreamBuild {
  return {
    name: nvr.name,
    ...(epoch === undefined ? {} : { epoch }),
    version: nvr.version,
    release: nvr.release,
    nvr: nvr.nvr,
    ...(kojiBuildId === undefined || kojiBuildId === null ? {} : { kojiBuildId }),
  };
}

/** NVR parts from Koji's separate name / version / release fields. */
export const nvrOf = (name: string, version: string, release: string): Nvr => ({
  name,
  version,
  release,
  nvr: `${name}-${version}-${release}`,
});

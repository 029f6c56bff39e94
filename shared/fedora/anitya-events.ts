import { z } from 'zod';
import { packageName } from './identifiers';
import type { TopicContext, Verdict } from './verdict';
import { accepted, ignored, parseThen } from './verdict';

/**
 * Anitya (release-monitoring.org) new upstream versions: `anitya.project.version.update` (deprecated v1, one
 * `upstream_version`) and `.v2` (`upstream_versions[]`). The Fedora package is the mapping with
 * `distro == "Fedora"` in `message.packages`; a project mapped to no Fedora package is ignored.
 */

const upstreamVersion = z.string().min(1).max(255);

const distroPackage = z.looseObject({
  distro: z.string().max(255),
  package_name: packageName,
});

const project = z.looseObject({
  id: z.number().int().positive(),
  name: z.string().min(1).max(255),
});

/** `org.release-monitoring.prod.anitya.project.version.update.v2`. */
export const versionUpdateV2Body = z.looseObject({
  project,
  message: z.looseObject({
    packages: z.array(distroPackage).max(10_000),
    upstream_versions: z.array(upstreamVersion).min(1).max(10_000),
  }),
});

/** `org.release-monitoring.prod.anitya.project.version.update` (v1). */
export const versionUpdateV1Body = z.looseObject({
  project,
  message: z.looseObject({
    packages: z.array(distroPackage).max(10_000),
    upstream_version: upstreamVersion,
  }),
});

function upstreamRelease(
  projectName: string,
  packages: readonly { distro: string; package_name: string }[],
  versions: string[],
): Verdict {
  const fedora = [...new Set(packages.filter((p) => p.distro === 'Fedora').map((p) => p.package_name))];
  if (fedora.length === 0) return ignored(`Anitya project "${projectName}" maps to no Fedora package`);
  return accepted({
    kind: 'upstream-release',
    packages: fedora,
    builds: [],
    reference: projectName,
    upstreamVersions: versions,
  });
}

export const versionUpdateV2 = (body: unknown, _context: TopicContext): Verdict =>
  parseThen(versionUpdateV2Body, body, (b) =>
    upstreamRelease(b.project.name, b.message.packages, b.message.upstream_versions),
  );

export const versionUpdateV1 = (body: unknown, _context: TopicContext): Verdict =>
  parseThen(versionUpdateV1Body, body, (b) =>
    upstreamRelease(b.project.name, b.message.packages, [b.message.upstream_version]),
  );

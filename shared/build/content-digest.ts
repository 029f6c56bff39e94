import { createHash } from 'node:crypto';
import { DEPENDENCY_KINDS } from '../rpm';
import type { RpmPackage } from '../rpm';

/** RPMTAG_FILEDIGESTS: the payload's per-file digests, as the header lists them. */
const FILEDIGESTS = 1035;
const FILELINKTOS = 1036;

/**
 * What a set of packages contains, as one digest: each package's NEVRA, its files (path, mode, digest, link
 * target) and every dependency with flags and version, in a canonical order. Build time, build host, the
 * signature and the payload compression are left out, so rebuilding the same sources with the same
 * dependencies gives the same digest, and the build can end `unchanged`.
 */
export function contentDigest(packages: readonly RpmPackage[]): string {
  const lines = packages.map(packageLines).sort();
  return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

function packageLines(pkg: RpmPackage): string {
  const digests = pkg.header.stringArray(FILEDIGESTS);
  const links = pkg.header.stringArray(FILELINKTOS);
  const files = pkg.files.map(
    (file, i) => `f ${file.path} ${file.mode} ${digests[i] ?? ''} ${links[i] ?? ''}`,
  );
  const deps = DEPENDENCY_KINDS.flatMap((kind) =>
    pkg.dependencies[kind].map((d) => `d ${kind} ${d.name} ${d.flags} ${d.version}`).sort(),
  );
  const nevra = `${pkg.name} ${pkg.epoch ?? ''} ${pkg.version} ${pkg.release} ${pkg.isSource ? 'src' : pkg.arch}`;
  return [nevra, ...files.sort(), ...deps].join('\n');
}

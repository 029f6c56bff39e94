import { readFile } from 'node:fs/promises';
import { contentDigest } from '../../shared/build/content-digest';
import type { InspectedPackage, PackageInspector } from '../../shared/build-worker';
import { readRpmPackage } from '../../shared/rpm';
import type { RpmPackage } from '../../shared/rpm';

/** Reads each built RPM's header with the project's reader: NEVRAs, routing facts and the content digest. */
export class RpmPackageInspector implements PackageInspector {
  async inspect(paths: readonly string[]) {
    const read: { path: string; pkg: RpmPackage }[] = [];
    for (const path of paths) read.push({ path, pkg: readRpmPackage(await readFile(path)) });
    const packages: InspectedPackage[] = read.map(({ path, pkg }) => ({
      path,
      name: pkg.name,
      arch: pkg.isSource ? 'src' : pkg.arch,
      isSource: pkg.isSource,
      nevra: nevraOf(pkg),
    }));
    return {
      nevras: packages.map((p) => p.nevra).sort(),
      contentDigest: contentDigest(read.map((r) => r.pkg)),
      packages,
    };
  }
}

function nevraOf(pkg: RpmPackage): string {
  const epoch = pkg.epoch ? `${pkg.epoch}:` : '';
  return `${pkg.name}-${epoch}${pkg.version}-${pkg.release}.${pkg.isSource ? 'src' : pkg.arch}`;
}

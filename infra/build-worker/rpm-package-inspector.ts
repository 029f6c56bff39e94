import { open } from 'node:fs/promises';
import { contentDigest } from '../../shared/build/content-digest';
import type { InspectedPackage, PackageInspector } from '../../shared/build-worker';
import { readPackageHeader } from '../../shared/publishing/header-reader';
import type { RpmPackage } from '../../shared/rpm';
import { readFully } from '../os/read-fully';

/**
 * Reads each built RPM's header with the project's reader: NEVRAs, routing facts and the content digest.
 * Only the header is read (`readPackageHeader`, as the publisher reads blobs), never the payload: a kernel
 * build's packages are gigabytes, and only the upload needs all of their bytes.
 */
export class RpmPackageInspector implements PackageInspector {
  async inspect(paths: readonly string[]) {
    const read = await Promise.all(paths.map(async (path) => ({ path, pkg: await readHeaderOf(path) })));
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

async function readHeaderOf(path: string): Promise<RpmPackage> {
  const file = await open(path, 'r');
  try {
    return await readPackageHeader(
      async (offset, count) => {
        const buffer = Buffer.alloc(count);
        return buffer.subarray(0, await readFully(file, buffer, count, offset));
      },
      { href: path },
    );
  } finally {
    await file.close();
  }
}

function nevraOf(pkg: RpmPackage): string {
  const epoch = pkg.epoch ? `${pkg.epoch}:` : '';
  return `${pkg.name}-${epoch}${pkg.version}-${pkg.release}.${pkg.isSource ? 'src' : pkg.arch}`;
}

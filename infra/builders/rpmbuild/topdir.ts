import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BuiltFile } from '../../../shared/build/builder';

/** The folders of an rpmbuild `_topdir`, as `rpmbuild` expects them under `%{_topdir}`. */
const FOLDERS = ['SOURCES', 'SPECS', 'BUILD', 'RPMS', 'SRPMS', 'BUILDROOT', 'tmp'] as const;

export interface Topdir {
  readonly root: string;
  readonly specPath: string;
}

/**
 * Lays out a private `_topdir` in `workDir/topdir`: every file of the rendered folder in SOURCES (the spec
 * too, as rpmbuild's own `-bs` from a tarball would), the spec in SPECS.
 */
export function layoutTopdir(workDir: string, sourceDir: string, specFile: string): Topdir {
  const root = join(workDir, 'topdir');
  for (const folder of FOLDERS) mkdirSync(join(root, folder), { recursive: true });
  cpSync(sourceDir, join(root, 'SOURCES'), { recursive: true, dereference: false });
  const specPath = join(root, 'SPECS', specFile);
  copyFileSync(join(sourceDir, specFile), specPath);
  return { root, specPath };
}

/** The SRPM (`SRPMS/*.src.rpm`) and binary RPMs (`RPMS/<arch>/*.rpm`) the build wrote, sorted by path. */
export function builtPackages(topdir: string): BuiltFile[] {
  const files: BuiltFile[] = [];
  const srpms = join(topdir, 'SRPMS');
  for (const name of sortedEntries(srpms)) {
    if (name.endsWith('.src.rpm')) files.push({ path: join(srpms, name), kind: 'srpm' });
  }
  const rpms = join(topdir, 'RPMS');
  for (const arch of sortedEntries(rpms)) {
    for (const name of sortedEntries(join(rpms, arch))) {
      if (name.endsWith('.rpm')) files.push({ path: join(rpms, arch, name), kind: 'rpm' });
    }
  }
  return files;
}

function sortedEntries(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import { loadDistroTree } from '../../../shared/distro/load';
import type { DistroTree } from '../../../shared/distro/tree';

/** Writes `files` (relative path → text) into a fresh temp directory and returns it. */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'azl-distro-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

export const loadTree = (dir: string): DistroTree => loadDistroTree(new FsDistroFiles(), dir);

/** The error thrown by `fn`, or a failure when it does not throw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

/** A minimal valid distro definition, to build small trees on. */
export const DISTROS = `
[project]
default-distro = { name = "azl" }
[distros.azl]
default-version = "4.0"
[distros.azl.versions.'4.0']
release-ver = "4.0"
[distros.azl.versions.'4.0'.default-component-config]
spec = { type = "upstream", upstream-distro = { name = "fedora", version = "43", snapshot = "2026-02-24T00:00:00-08:00" } }
[distros.fedora]
default-version = "43"
dist-git-base-uri = "https://src.fedoraproject.org/rpms/$pkg.git"
[distros.fedora.versions.43]
release-ver = "43"
dist-git-branch = "f43"
[distros.fedora.versions.rawhide]
release-ver = "rawhide"
dist-git-branch = "rawhide"
`;

import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../os/project-paths';
import { distGitTemplate, writeDistGitRepository } from './dist-git';
import type { FixturePackage } from './fixture-package';
import { readFixturePackages } from './fixture-package';
import { writeLookaside } from './lookaside';

/**
 * The project's "small Fedora": the upstream fixture packages of `tests/fixtures/upstream/` materialised as a
 * local dist-git (bare repositories `rpms/<name>.git`, branch `f43`) and a local lookaside folder, so source
 * preparation, the builder and the local demo fetch and build them for real.
 */
export const FIXTURE_BRANCH = 'f43';

export const defaultFixtureRoot = (): string => join(projectRoot(), 'tests', 'fixtures', 'upstream');

export interface MaterialisedFixture {
  readonly packages: readonly FixturePackage[];
  /** `file://<root>/dist-git/rpms/$pkg.git` */
  readonly distGitTemplate: string;
  readonly lookasideDir: string;
  readonly branch: string;
  /** Package name → its one commit on `branch`. */
  readonly commits: ReadonlyMap<string, string>;
}

/** Writes `<outRoot>/dist-git/rpms/*.git` and `<outRoot>/lookaside/` from the fixture packages. */
export function materialiseFedoraFixture(
  outRoot: string,
  fixtureRoot: string = defaultFixtureRoot(),
): MaterialisedFixture {
  const packages = readFixturePackages(fixtureRoot);
  const distGitRoot = join(outRoot, 'dist-git');
  const lookasideDir = join(outRoot, 'lookaside');
  mkdirSync(lookasideDir, { recursive: true });
  const commits = new Map<string, string>();
  for (const pkg of packages) {
    commits.set(pkg.name, writeDistGitRepository(distGitRoot, pkg, FIXTURE_BRANCH));
    writeLookaside(lookasideDir, pkg);
  }
  return {
    packages,
    distGitTemplate: distGitTemplate(distGitRoot),
    lookasideDir,
    branch: FIXTURE_BRANCH,
    commits,
  };
}

/**
 * An upstream folder as a dist-git checkout with its sources downloaded: the package's dist-git files and
 * its tarballs, in `dest`. What `azl-rebuilder build --upstream` and `overlays apply --upstream` read.
 */
export function writeUpstreamFolder(pkg: FixturePackage, dest: string): string {
  mkdirSync(dest, { recursive: true });
  for (const [path, content] of pkg.distGitFiles) writeFileSync(join(dest, path), content);
  for (const [path, content] of pkg.downloads) writeFileSync(join(dest, path), content);
  return dest;
}

/** The URI templates the fixture distro tree's placeholders stand for. */
export interface FixtureUris {
  readonly distGitBaseUri: string;
  readonly lookasideBaseUri: string;
}

/**
 * Copies the fixture distro tree (`<fixtureRoot>/distro/`) to `dest`, replacing `@DIST_GIT_BASE_URI@` and
 * `@LOOKASIDE_BASE_URI@` in its TOML files with the local dist-git and lookaside server.
 */
export function writeFixtureDistro(
  dest: string,
  uris: FixtureUris,
  fixtureRoot: string = defaultFixtureRoot(),
): string {
  const source = join(fixtureRoot, 'distro');
  cpSync(source, dest, { recursive: true });
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir)) {
      const full = join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.toml')) {
        const text = readFileSync(full, 'utf8')
          .replaceAll('@DIST_GIT_BASE_URI@', uris.distGitBaseUri)
          .replaceAll('@LOOKASIDE_BASE_URI@', uris.lookasideBaseUri);
        writeFileSync(full, text);
      }
    }
  };
  walk(dest);
  return dest;
}

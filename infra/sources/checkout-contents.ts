import { lstat, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { ErrorContext } from '../../shared/errors';
import { sourcesPermanent } from '../../shared/sources/source-errors';

/**
 * Reading what a dist-git checkout holds. The checkout is input like any other: a `sources` file or a spec
 * may be a symlink, and following it would read (and echo in errors) a file outside the checkout. Only
 * regular files are read.
 */
async function isRegularFile(path: string): Promise<boolean | undefined> {
  return lstat(path).then(
    (stats) => stats.isFile(),
    () => undefined,
  );
}

/** The `sources` file's text; '' when the package has none (nothing in the lookaside cache). */
export async function readSourcesFile(sourcesDir: string, place: ErrorContext): Promise<string> {
  const path = join(sourcesDir, 'sources');
  const regular = await isRegularFile(path);
  if (regular === undefined) return '';
  if (!regular) {
    throw sourcesPermanent('sources.malformed', 'the dist-git sources file is not a regular file', {
      ...place,
      file: 'sources',
    });
  }
  return readFile(path, 'utf8');
}

/**
 * The spec must be `<upstream-name>.spec` at the root of the checkout (`sources.spec-missing` otherwise);
 * it is renamed to `<component>.spec`, the name everything downstream expects.
 */
export async function placeSpec(
  sourcesDir: string,
  pkg: string,
  spec: string,
  place: ErrorContext,
): Promise<void> {
  const upstreamSpec = join(sourcesDir, `${pkg}.spec`);
  if ((await isRegularFile(upstreamSpec)) !== true) {
    throw sourcesPermanent('sources.spec-missing', `${pkg}.spec is missing (or not a regular file)`, {
      ...place,
      file: `${pkg}.spec`,
    });
  }
  if (`${pkg}.spec` !== spec) await rename(upstreamSpec, join(sourcesDir, spec));
}

import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { FsDistroFiles } from '../infra/distro/fs-distro-files';
import { PipelineError } from '../shared/errors';
import { loadDistroTree } from '../shared/distro/load';
import type { DistroTree } from '../shared/distro/tree';

/**
 * The distribution tree a deployment ships (the folder of `azldev.toml`), for `npm run package` and the
 * builder image. Convention shared with the deploy workflow, azure.yaml and the README:
 *
 * - `AZL_DISTRO_SOURCE` names it (absolute, or relative to the repository root); unset, it is `distro/` at the
 *   repository root (git-ignored: the deploy workflow checks the distribution's repository out there).
 * - Inside the function app package and the builder image it sits in a folder `distro/`; the app setting is
 *   `AZL_DISTRO_DIR=distro`, which the Azure entry resolves against the app's root (functions/app-settings.ts).
 */
export const DISTRO_SOURCE_SETTING = 'AZL_DISTRO_SOURCE';
/** The default source folder at the repository root, and the folder's name inside the package. */
export const DISTRO_FOLDER = 'distro';

/** Where the tree comes from: the folder, and whether `AZL_DISTRO_SOURCE` named it or the default applies. */
export interface DistroSource {
  readonly dir: string;
  readonly from: 'setting' | 'default';
}

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The tree to package, or `undefined` when `AZL_DISTRO_SOURCE` is unset and `<root>/distro` is absent (the
 * package is then made without one). A set `AZL_DISTRO_SOURCE` that names no folder is an error: the user
 * asked for a tree and would otherwise deploy without it.
 */
export function locateDistroSource(root: string, env: NodeJS.ProcessEnv): DistroSource | undefined {
  const setting = env[DISTRO_SOURCE_SETTING]?.trim();
  if (setting) {
    const dir = resolve(root, setting);
    if (!isFolder(dir)) {
      throw PipelineError.permanent(
        'distro.missing-root',
        `${DISTRO_SOURCE_SETTING}=${setting}: ${dir} is not a folder (set it to the distribution tree, the folder of azldev.toml, absolute or relative to ${root})`,
        { setting: DISTRO_SOURCE_SETTING, file: dir },
      );
    }
    return { dir, from: 'setting' };
  }
  const dir = resolve(root, DISTRO_FOLDER);
  return isFolder(dir) ? { dir, from: 'default' } : undefined;
}

/**
 * Loads the tree with the app's own loader (every included file parsed and checked as planning would), so a
 * broken tree fails packaging naming its file instead of failing the deployed app. Every file it reads must
 * lie inside the tree: only the tree is copied, so an include reaching outside would break once deployed.
 */
export function validateDistroTree(dir: string): DistroTree {
  const tree = loadDistroTree(new FsDistroFiles(), dir);
  for (const file of tree.files) {
    const inside = relative(dir, file);
    if (inside.startsWith('..') || isAbsolute(inside)) {
      throw PipelineError.permanent(
        'distro.invalid',
        `${file}: included from the tree at ${dir} but outside it; the package copies only the tree`,
        { file },
      );
    }
  }
  return tree;
}

/** What is left out of the copy: version control data (a checkout's `.git`) is no part of the tree. */
export const isDistroCopyExcluded = (name: string): boolean => name === '.git';

/**
 * `node dist/scripts/distro-source.js`: validates the tree a deployment would ship, before anything is
 * deployed (the deploy workflow runs it after checking the tree out). Unlike `npm run package`, it fails when
 * there is no tree at all.
 */
function main(): void {
  const root = resolve(__dirname, '..', '..');
  const source = locateDistroSource(root, process.env);
  if (!source) {
    throw new Error(
      `no distribution tree: ${DISTRO_SOURCE_SETTING} is unset and ${resolve(root, DISTRO_FOLDER)} is absent`,
    );
  }
  const tree = validateDistroTree(source.dir);
  console.log(`${source.dir}: ${tree.components.size} components in ${tree.files.length} files`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  }
}

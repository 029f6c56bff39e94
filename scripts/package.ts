import { execFileSync } from 'node:child_process';
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DISTRO_FOLDER, isDistroCopyExcluded, locateDistroSource, validateDistroTree } from './distro-source';
import type { DistroSource } from './distro-source';

/**
 * `npm run package`: the package Flex Consumption deploys, twice: unzipped in `dist/package` (what azd zips
 * itself, azure.yaml `dist: dist/package`) and zipped in `dist/azl-rebuilder.zip` (for a manual zip deploy).
 * `--dir <folder>` and `--out <file>` change where. Run after `npm run build`. It holds:
 *
 * - `dist/functions`, `dist/infra`, `dist/shared`: the compiled code the Azure entry (package.json `main`,
 *   `dist/functions/index.js`) reaches. `hosts/` (CLI, local runtime), `testing/`, `tests/`, `bench/` and
 *   `scripts/` stay out.
 * - The dashboard page (`GET /api/dashboard`): its compiled script `dist/dashboard` and its HTML and CSS
 *   `dashboard/static` (chart.js comes with the production `node_modules`).
 * - `host.json` and `package.json` (without scripts, bin, devDependencies and
 *   {@link LOCAL_ONLY_DEPENDENCIES}, the dependencies only the local tools need).
 * - `node_modules`: the repository's lockfile narrowed to that `package.json` (`npm install
 *   --package-lock-only`, which keeps every locked version and drops what only the removed dependencies pulled
 *   in), then `npm ci --omit=dev --ignore-scripts` from it. The same tree, file for file, as installing
 *   everything and uninstalling the local-only dependencies, in about half the time (28 s against 49 s).
 *   Then the files no runtime reads are deleted from it ({@link PRUNED_FROM_NODE_MODULES}): the
 *   dependencies' source maps and type declarations, more than half its bytes and three in five of its files.
 * - `distro/`: the distribution tree (scripts/distro-source.ts: `AZL_DISTRO_SOURCE`, default `distro/` at the
 *   repository root), validated with the app's own loader first, without its `.git`. The app reads it through
 *   `AZL_DISTRO_DIR=distro`. Without a tree the package is made without one, and says so.
 *
 * It stages into a fresh folder next to the package folder and swaps it in at the end, so a re-run replaces
 * `dist/package` whole and a failed run leaves the previous one. It zips with Debian's `zip` command (no zip
 * library is a direct dependency).
 */
export const LOCAL_ONLY_DEPENDENCIES = [
  /** The local runtime's storage emulator (`hosts/local`, `infra/local/azurite`). */
  'azurite',
  /** The local Service Bus stand-in's AMQP 1.0 server (`infra/local/broker`). */
  'rhea',
  /** Fedora's RabbitMQ bridge, run by the CLI (`azl-rebuilder bridge`), not by a function. */
  'amqplib',
] as const;

/**
 * Files of `node_modules` the package leaves out: source maps (`.map`) and type declarations (`.d.ts`,
 * `.d.mts`, `.d.cts`). Node loads neither; the package's own compiled code keeps its source maps, for stack
 * traces. Measured on the package of 2026-12-07: 21,004 maps (112 MB) and 19,628 declarations (39 MB) of
 * 64,934 files (447 MB on disk). A pattern, not a library: the clean-up tools on npm apply longer lists of guesses
 * (docs, tests, examples) that can delete a file a package loads.
 */
export const PRUNED_FROM_NODE_MODULES = /\.(?:map|d\.ts|d\.mts|d\.cts)$/;

/** Deletes {@link PRUNED_FROM_NODE_MODULES} below `dir`. */
function pruneNodeModules(dir: string): void {
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && PRUNED_FROM_NODE_MODULES.test(entry.name))
      rmSync(join(entry.parentPath, entry.name));
  }
}

/** The compiled folders the Azure entry needs (the layers below `hosts/`, and the dashboard's script). */
export const PACKAGED_FOLDERS = ['functions', 'infra', 'shared', 'dashboard'] as const;

/** Files served as they are, from the repository into the package at the same path. */
export const PACKAGED_STATIC_FOLDERS = ['dashboard/static'] as const;

export interface PackageOptions {
  /** The zip to write. */
  readonly zipPath: string;
  /** The unzipped package (same content as the zip), replaced whole. */
  readonly packageDir: string;
  /** The distribution tree to ship as `distro/` (see `locateDistroSource`); absent: none. */
  readonly distro?: DistroSource;
}

export interface PackageResult {
  readonly zipPath: string;
  readonly bytes: number;
  readonly packageDir: string;
  /** The tree shipped, with its number of components; absent when the package has none. */
  readonly distro?: { readonly source: string; readonly components: number };
}

/** The manifest's dependencies without {@link LOCAL_ONLY_DEPENDENCIES}. */
function withoutLocalOnly(dependencies: unknown): Record<string, string> {
  const localOnly: readonly string[] = LOCAL_ONLY_DEPENDENCIES;
  return Object.fromEntries(
    Object.entries((dependencies ?? {}) as Record<string, string>).filter(
      ([name]) => !localOnly.includes(name),
    ),
  );
}

function run(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Stages the deployable package of the project at `root` (already built) into `packageDir` and `zipPath`. */
export function buildPackage(root: string, options: PackageOptions): PackageResult {
  // The tree first: a broken one fails here, in seconds, naming its file.
  const components = options.distro && validateDistroTree(options.distro.dir).components.size;
  const distFunctions = join(root, 'dist', 'functions', 'index.js');
  try {
    statSync(distFunctions);
  } catch {
    throw new Error(`${distFunctions} is missing: run 'npm run build' first`);
  }
  const packageDir = resolve(options.packageDir);
  mkdirSync(dirname(packageDir), { recursive: true });
  const stage = mkdtempSync(join(dirname(packageDir), `.${basename(packageDir)}-`));
  try {
    for (const folder of PACKAGED_FOLDERS) {
      cpSync(join(root, 'dist', folder), join(stage, 'dist', folder), { recursive: true });
    }
    for (const folder of PACKAGED_STATIC_FOLDERS) {
      cpSync(join(root, folder), join(stage, folder), { recursive: true });
    }
    cpSync(join(root, 'host.json'), join(stage, 'host.json'));
    cpSync(join(root, 'package-lock.json'), join(stage, 'package-lock.json'));
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.scripts;
    delete manifest.bin;
    delete manifest.devDependencies;
    manifest.dependencies = withoutLocalOnly(manifest.dependencies);
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    const npmFlags = ['--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'];
    run('npm', ['install', '--package-lock-only', ...npmFlags], stage);
    run('npm', ['ci', ...npmFlags], stage);
    rmSync(join(stage, 'package-lock.json'));
    rmSync(join(stage, 'node_modules', '.package-lock.json'), { force: true });
    pruneNodeModules(join(stage, 'node_modules'));

    if (options.distro) {
      cpSync(options.distro.dir, join(stage, DISTRO_FOLDER), {
        recursive: true,
        filter: (source) => !isDistroCopyExcluded(basename(source)),
      });
    }

    const target = resolve(options.zipPath);
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { force: true });
    run('zip', ['-q', '-r', '-X', target, '.'], stage);

    rmSync(packageDir, { recursive: true, force: true });
    renameSync(stage, packageDir);
    return {
      zipPath: target,
      bytes: statSync(target).size,
      packageDir,
      ...(options.distro && components !== undefined
        ? { distro: { source: options.distro.dir, components } }
        : {}),
    };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index > 0 ? process.argv[index + 1] : undefined;
};

function main(): void {
  const root = resolve(__dirname, '..', '..');
  const distro = locateDistroSource(root, process.env);
  if (!distro) {
    console.warn(
      `warning: no distribution tree (AZL_DISTRO_SOURCE is unset and ${join(root, DISTRO_FOLDER)} is absent): ` +
        `the package has no ${DISTRO_FOLDER}/, so planning cannot run in Azure until a tree is deployed`,
    );
  }
  const result = buildPackage(root, {
    zipPath: argument('--out') ?? join(root, 'dist', 'azl-rebuilder.zip'),
    packageDir: argument('--dir') ?? join(root, 'dist', 'package'),
    ...(distro ? { distro } : {}),
  });
  if (result.distro) {
    console.log(`${DISTRO_FOLDER}/: ${result.distro.source} (${result.distro.components} components)`);
  }
  console.log(`${result.packageDir}/`);
  console.log(`${result.zipPath}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB (${result.bytes} bytes)`);
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error(`npm run package: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}

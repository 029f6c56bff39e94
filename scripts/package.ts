import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * `npm run package`: the zip Flex Consumption deploys (`dist/azl-rebuilder.zip` by default, `--out <file>`
 * otherwise). Run after `npm run build`; it stages into a temporary folder:
 *
 * - `dist/functions`, `dist/infra`, `dist/shared`: the compiled code the Azure entry (package.json `main`,
 *   `dist/functions/index.js`) reaches. `hosts/` (CLI, local runtime), `testing/`, `tests/`, `bench/` and
 *   `scripts/` stay out.
 * - `host.json`, `package.json` (without scripts, bin and devDependencies) and `package-lock.json`.
 * - `node_modules`: `npm ci --omit=dev --ignore-scripts` from the lockfile, then the dependencies only the local
 *   tools need are uninstalled (with whatever only they pulled in): see {@link LOCAL_ONLY_DEPENDENCIES}.
 *
 * It zips the folder with Debian's `zip` command (no zip library is a direct dependency).
 */
export const LOCAL_ONLY_DEPENDENCIES = [
  /** The local runtime's storage emulator (`hosts/local`, `infra/local/azurite`). */
  'azurite',
  /** The local Service Bus stand-in's AMQP 1.0 server (`infra/local/broker`). */
  'rhea',
  /** Fedora's RabbitMQ bridge, run by the CLI (`azl-rebuilder bridge`), not by a function. */
  'amqplib',
] as const;

/** The compiled folders the Azure entry needs (the layers below `hosts/`). */
export const PACKAGED_FOLDERS = ['functions', 'infra', 'shared'] as const;

export interface PackageResult {
  readonly zipPath: string;
  readonly bytes: number;
}

function run(command: string, args: string[], cwd: string): void {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Stages and zips the deployable package of the project at `root` (already built) into `zipPath`. */
export function buildPackage(root: string, zipPath: string): PackageResult {
  const distFunctions = join(root, 'dist', 'functions', 'index.js');
  try {
    statSync(distFunctions);
  } catch {
    throw new Error(`${distFunctions} is missing: run 'npm run build' first`);
  }
  const stage = mkdtempSync(join(tmpdir(), 'azl-package-'));
  try {
    for (const folder of PACKAGED_FOLDERS) {
      cpSync(join(root, 'dist', folder), join(stage, 'dist', folder), { recursive: true });
    }
    cpSync(join(root, 'host.json'), join(stage, 'host.json'));
    cpSync(join(root, 'package-lock.json'), join(stage, 'package-lock.json'));
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    delete manifest.scripts;
    delete manifest.bin;
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

    const npmFlags = ['--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'];
    run('npm', ['ci', ...npmFlags], stage);
    run('npm', ['uninstall', ...LOCAL_ONLY_DEPENDENCIES, ...npmFlags], stage);

    // devDependencies go last: npm ci needs them to match the lockfile; they are absent from node_modules anyway.
    const staged = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8')) as Record<string, unknown>;
    delete staged.devDependencies;
    writeFileSync(join(stage, 'package.json'), `${JSON.stringify(staged, null, 2)}\n`);
    rmSync(join(stage, 'package-lock.json'));
    rmSync(join(stage, 'node_modules', '.package-lock.json'), { force: true });

    const target = resolve(zipPath);
    mkdirSync(dirname(target), { recursive: true });
    rmSync(target, { force: true });
    run('zip', ['-q', '-r', '-X', target, '.'], stage);
    return { zipPath: target, bytes: statSync(target).size };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const root = resolve(__dirname, '..', '..');
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
  const result = buildPackage(root, out ?? join(root, 'dist', 'azl-rebuilder.zip'));
  console.log(`${result.zipPath}: ${(result.bytes / 1024 / 1024).toFixed(1)} MiB (${result.bytes} bytes)`);
}

// Must stay the first import: it installs the fake `@azure/functions-core` before any `@azure/functions` loads.
import { fakeFunctionsCore as core } from '../../testing/fakes/functions-core';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { crc32 } from 'node:zlib';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { withDistroDirFromAppRoot } from '../../functions/app-settings';
import type { fileDashboardAssets } from '../../infra/dashboard/file-dashboard-assets';
import { FsDistroFiles } from '../../infra/distro/fs-distro-files';
import type { projectRoot } from '../../infra/os/project-paths';
import { loadDistroTree } from '../../shared/distro/load';
import { loadSettings } from '../../shared/settings/load-settings';
import { DISTROS } from '../../testing/fixtures/distro-tree';
import type { CapturedRegistration } from '../../testing/fakes/functions-core';

/**
 * Builds the deployable package (`npm run package`'s script on the built tree, into temporary folders) with a
 * small distribution tree as `AZL_DISTRO_SOURCE`, checks that the zip unpacks to exactly the unzipped package
 * folder (what azd deploys), byte for byte, and loads that folder's entry the way the Functions host does:
 * package.json `main`, resolving every module from the package's own node_modules. What it registers must
 * equal what the source tree registers.
 *
 * Like the other tests of `dist/`, it runs after `npm run build` (`npm test` builds first): it runs the
 * compiled packager itself rather than `npm run package`, which would compile the whole project again, and
 * checks that `npm run package` is that build followed by that packager. Nothing is unpacked to disk: the
 * zip's entries are compared with the package folder by name, size and CRC-32, and `unzip -t` decompresses
 * every entry against its CRC, so the zip unpacks to the folder whose entry is loaded.
 */
const root = resolve(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'azl-package-test-'));
const zipPath = join(work, 'azl-rebuilder.zip');
const packageDir = join(work, 'package');
/** The package as the host loads it: the zip's content, proven equal to the package folder below. */
const unpacked = packageDir;
const tree = join(work, 'tree');

/** The tree shipped: azldev.toml including components.toml including the comp files, and a checkout's .git. */
const TREE: Record<string, string> = {
  'azldev.toml': `includes = ["components.toml"]\n${DISTROS}`,
  'components.toml': 'includes = ["comps/**/*.comp.toml"]\n',
  'comps/zlib-ng/zlib-ng.comp.toml': '[components.zlib-ng]\n',
  'comps/curl/curl.comp.toml': '[components.curl]\n',
  'comps/curl/curl.overlay.patch': '--- a/curl.spec\n+++ b/curl.spec\n',
};
const GIT = { '.git/HEAD': 'ref: refs/heads/main\n', 'comps/curl/.git': 'gitdir: ../../.git/modules/curl\n' };

function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Every file below `dir` (symbolic links included, as zip stores their targets), relative, sorted. */
const filesBelow = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();

/** What `npm run package` runs after `npm run build`. */
const PACKAGER = 'dist/scripts/package.js';

/** A zip's file entries (folders left out) as `name size crc32`, from `unzip -v`, sorted. */
function zipEntries(zip: string): string[] {
  return execFileSync('unzip', ['-v', zip], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+\S+\s+\d+\s+\S+\s+\S+\s+\S+\s+([0-9a-f]{8}) {2}(.+)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && !match[3]!.endsWith('/'))
    .map((match) => `${match[3]} ${match[1]} ${match[2]}`)
    .sort();
}

/** The same for a folder's files (symbolic links read through, as zip stores them). */
const folderEntries = (dir: string): string[] =>
  filesBelow(dir)
    .map((name) => {
      const bytes = readFileSync(join(dir, name));
      return `${name} ${bytes.length} ${crc32(bytes).toString(16).padStart(8, '0')}`;
    })
    .sort();

let packaged: CapturedRegistration[] = [];
let source: CapturedRegistration[] = [];
let output = '';

beforeAll(async () => {
  write(tree, { ...TREE, ...GIT });
  // A previous run's leftovers: the package folder is replaced whole.
  write(packageDir, { 'stale.txt': 'from an earlier package' });
  output = execFileSync(process.execPath, [join(root, PACKAGER), '--out', zipPath, '--dir', packageDir], {
    cwd: root,
    env: { ...process.env, AZL_DISTRO_SOURCE: tree },
    stdio: ['ignore', 'pipe', 'ignore'],
    encoding: 'utf8',
  });
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as { main: string };
  // Node's own loader, as in the host: every module of the entry resolves from the unpacked node_modules.
  createRequire(join(unpacked, 'package.json'))(join(unpacked, manifest.main));
  packaged = core.registrations.slice();
  await import('../../functions/index');
  source = core.registrations.slice(packaged.length);
}, 600_000);

// The package folder is a large tree (about 235 MB): removing it can take a while on a busy machine.
afterAll(() => rmSync(work, { recursive: true, force: true }), 180_000);

const table = (registrations: CapturedRegistration[]) =>
  registrations
    .map((r) => ({ name: r.metadata.name, bindings: r.metadata.bindings, retry: r.metadata.retryOptions }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));

test('the packaged entry registers the same functions, triggers, routes and queues as the source tree', () => {
  console.log(`deployable package: ${(statSync(zipPath).size / 1024 / 1024).toFixed(1)} MiB`);
  expect(packaged.length).toBeGreaterThan(0);
  expect(table(packaged)).toEqual(table(source));
});

test('the packaged entry resolved @azure/functions from the package, not from the repository', () => {
  const loaded = Object.keys(require.cache);
  expect(loaded.some((p) => p.startsWith(join(unpacked, 'node_modules', '@azure', 'functions')))).toBe(true);
});

test('the package holds host.json, the distribution tree and only the compiled layers below hosts/', () => {
  expect(readdirSync(unpacked).sort()).toEqual([
    'dashboard',
    'dist',
    'distro',
    'host.json',
    'node_modules',
    'package.json',
  ]);
  expect(readdirSync(join(unpacked, 'dist')).sort()).toEqual(['dashboard', 'functions', 'infra', 'shared']);
  expect(readdirSync(join(unpacked, 'dashboard'))).toEqual(['static']);
  expect(readFileSync(join(unpacked, 'host.json'), 'utf8')).toBe(
    readFileSync(join(root, 'host.json'), 'utf8'),
  );
  for (const absent of ['tests', 'testing', 'bench', 'hosts', 'scripts', 'fixtures']) {
    expect(existsSync(join(unpacked, absent)), absent).toBe(false);
    expect(existsSync(join(unpacked, 'dist', absent)), `dist/${absent}`).toBe(false);
  }
});

test('the dashboard page and every file it loads are served from the package, chart.js included', async () => {
  // The packaged reader, resolving chart.js from the package's own node_modules.
  const packagedReader = createRequire(join(unpacked, 'package.json'))(
    join(unpacked, 'dist', 'infra', 'dashboard', 'file-dashboard-assets.js'),
  ) as { fileDashboardAssets: typeof fileDashboardAssets };
  const assets = packagedReader.fileDashboardAssets(unpacked);
  const text = async (name: string): Promise<string> => {
    const asset = await assets.read(name);
    expect(asset, name).toBeDefined();
    return Buffer.from(asset!.body).toString('utf8');
  };
  const page = await text('index.html');
  const loaded = [...page.matchAll(/\/api\/dashboard\/([a-z0-9.-]+)/g)].map((m) => m[1]!);
  expect(loaded.sort()).toEqual(['chart.umd.min.js', 'dashboard.css', 'main.js']);
  // Every module the page's script imports, transitively.
  const modules = new Set<string>();
  const pending = ['main.js'];
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (modules.has(name)) continue;
    modules.add(name);
    for (const m of (await text(name)).matchAll(/from '\.\/([a-z0-9.-]+\.js)'/g)) pending.push(m[1]!);
  }
  expect(modules.size).toBeGreaterThan(3);
  expect(await text('chart.umd.min.js')).toContain('Chart.js v4.6.2');
  await text('dashboard.css');
});

test('no dev dependency and no local-only tool is inside', () => {
  const modules = join(unpacked, 'node_modules');
  for (const name of [
    'vitest',
    'typescript',
    'eslint',
    'msw',
    'prettier',
    'dependency-cruiser',
    'azurite',
    'amqplib',
  ]) {
    expect(existsSync(join(modules, name)), name).toBe(false);
  }
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  expect(manifest.devDependencies).toBeUndefined();
  expect(Object.keys(manifest.dependencies as object)).not.toContain('azurite');
});

test("the dependencies' source maps and type declarations are left out; the package's own maps stay", () => {
  const files = filesBelow(join(unpacked, 'node_modules'));
  expect(files.length).toBeGreaterThan(1_000);
  expect(files.filter((name) => /\.(?:map|d\.ts|d\.mts|d\.cts)$/.test(name)).slice(0, 5)).toEqual([]);
  // What loads stays: the SDK's CommonJS build (the entry's load above needs it too).
  expect(files).toContain(join('@azure', 'storage-blob', 'dist', 'commonjs', 'index.js'));
  expect(existsSync(join(unpacked, 'dist', 'functions', 'index.js.map'))).toBe(true);
});

test('distro/ is the AZL_DISTRO_SOURCE tree, file for file, without its .git', () => {
  expect(output).toContain(`distro/: ${tree} (2 components)`);
  expect(filesBelow(join(unpacked, 'distro'))).toEqual(Object.keys(TREE).sort());
  for (const [path, text] of Object.entries(TREE)) {
    expect(readFileSync(join(unpacked, 'distro', path), 'utf8'), path).toBe(text);
  }
});

test('the packaged entry finds distro/ from AZL_DISTRO_DIR=distro, whatever the working directory', () => {
  // The packaged projectRoot, from the packaged entry's folder, as functions/index.ts calls it.
  const paths = createRequire(join(unpacked, 'package.json'))(
    join(unpacked, 'dist', 'infra', 'os', 'project-paths.js'),
  ) as { projectRoot: typeof projectRoot };
  const appRoot = paths.projectRoot(join(unpacked, 'dist', 'functions'));
  expect(appRoot).toBe(unpacked);
  const settings = withDistroDirFromAppRoot(
    loadSettings({
      AzureWebJobsStorage__accountName: 'azlstate',
      ServiceBusConnection__fullyQualifiedNamespace: 'azl.servicebus.windows.net',
      AZL_DISTRO_DIR: 'distro',
    }),
    appRoot,
  );
  const loaded = loadDistroTree(new FsDistroFiles(), settings.planner?.distroDir ?? '');
  expect([...loaded.components.keys()].sort()).toEqual(['curl', 'zlib-ng']);
});

test('the unzipped package folder (what azd deploys) holds exactly what the zip holds, and nothing stale', () => {
  // Every entry decompresses to its recorded CRC-32 ...
  expect(execFileSync('unzip', ['-tq', zipPath], { encoding: 'utf8' })).toMatch(/^No errors detected/);
  // ... and the entries are the folder's files: the same names, sizes and CRC-32s.
  const zipped = zipEntries(zipPath);
  expect(zipped.length).toBeGreaterThan(100);
  expect(folderEntries(packageDir)).toEqual(zipped);
  expect(existsSync(join(packageDir, 'stale.txt'))).toBe(false);
  // The staging folder was swapped in, not left beside it.
  expect(readdirSync(work).sort()).toEqual(['azl-rebuilder.zip', 'package', 'tree']);
});

test('npm run package is the build, then the packager this test runs', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  expect(manifest.scripts.package).toBe(`npm run build && node ${PACKAGER}`);
});

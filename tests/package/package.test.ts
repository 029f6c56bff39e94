// Must stay the first import: it installs the fake `@azure/functions-core` before any `@azure/functions` loads.
import { fakeFunctionsCore as core } from '../../testing/fakes/functions-core';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { CapturedRegistration } from '../../testing/fakes/functions-core';

/**
 * Builds the deployable package (`npm run package`, into a temporary folder), unpacks it and loads its entry
 * the way the Functions host does: package.json `main`, resolving every module from the zip's own
 * node_modules. What it registers must equal what the source tree registers.
 */
const root = resolve(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'azl-package-test-'));
const zipPath = join(work, 'azl-rebuilder.zip');
const unpacked = join(work, 'app');

let packaged: CapturedRegistration[] = [];
let source: CapturedRegistration[] = [];

beforeAll(async () => {
  execFileSync('npm', ['run', 'package', '--', '--out', zipPath], { cwd: root, stdio: 'ignore' });
  execFileSync('unzip', ['-q', zipPath, '-d', unpacked]);
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package.json'), 'utf8')) as { main: string };
  // Node's own loader, as in the host: every module of the entry resolves from the unpacked node_modules.
  createRequire(join(unpacked, 'package.json'))(join(unpacked, manifest.main));
  packaged = core.registrations.slice();
  await import('../../functions/index');
  source = core.registrations.slice(packaged.length);
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

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

test('the package holds host.json and only the compiled layers below hosts/', () => {
  expect(readdirSync(unpacked).sort()).toEqual(['dist', 'host.json', 'node_modules', 'package.json']);
  expect(readdirSync(join(unpacked, 'dist')).sort()).toEqual(['functions', 'infra', 'shared']);
  expect(readFileSync(join(unpacked, 'host.json'), 'utf8')).toBe(
    readFileSync(join(root, 'host.json'), 'utf8'),
  );
  for (const absent of ['tests', 'testing', 'bench', 'hosts', 'scripts', 'fixtures']) {
    expect(existsSync(join(unpacked, absent)), absent).toBe(false);
    expect(existsSync(join(unpacked, 'dist', absent)), `dist/${absent}`).toBe(false);
  }
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

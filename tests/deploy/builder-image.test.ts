import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  BUILD_COMMAND_ARGS,
  buildResultsQueueFromEnv,
  executionTemplate,
  readBuildRequestFromEnv,
} from '../../infra/builders/container-apps';
import { main } from '../../hosts/cli/main';
import { executionEnv } from '../../infra/build-worker/compose-building';
import { buildRequestSchema } from '../../shared/build';
import { dnfPackages, envOf, execForm, lastOf, parseDockerfile, workdirAt } from '../../testing/dockerfile';

/**
 * builder/Dockerfile cannot be built here (no container engine, no Fedora registry): these tests read it as
 * text and check it against the code that starts and runs a cloud build, so neither can drift alone.
 */
const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

const stages = parseDockerfile(read('builder/Dockerfile'));
const runtime = stages[stages.length - 1] ?? [];
const build = stages.find((stage) => /\sAS\s+build$/i.test(stage[0]?.args ?? '')) ?? [];
const request = buildRequestSchema.parse({
  planId: 'plan-42',
  component: 'zlib-ng',
  fingerprint: `sha256:${'cd'.repeat(32)}`,
  wave: 1,
  priority: 5,
  reasons: [],
  requestedAt: '2025-06-01T10:00:00Z',
  attempt: 1,
});
const template = executionTemplate(request, {
  image: 'azlregistry.azurecr.io/azl-rebuilder-builder:1',
  containerName: 'azl-build',
  resultsQueue: 'build-results-test',
  // What the function app forwards from its own settings (the Bicep template's), as the worker builds it.
  env: executionEnv({
    AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
    AzureWebJobsStorage__accountName: 'stabc',
    AzureWebJobsStorage__credential: 'managedidentity',
    ServiceBusConnection__fullyQualifiedNamespace: 'sb-azl.servicebus.windows.net',
    AZL_DISTRO_DIR: 'distro',
    AZL_LOG_LEVEL: 'info',
  }),
});
const container = template.containers[0];
const sentEnv = Object.fromEntries((container?.env ?? []).map(({ name, value }) => [name, value]));

describe('builder/Dockerfile', () => {
  test('has a build stage and a Fedora runtime stage', () => {
    expect(build[0]?.keyword).toBe('FROM');
    expect(runtime).not.toBe(build);
    expect(runtime[0]?.args).toMatch(/^registry\.fedoraproject\.org\/fedora:/);
  });

  test('ENTRYPOINT is the CLI run by Fedora Node 20, as the package.json bin names it', () => {
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    const cli = pkg.bin['azl-rebuilder'];
    expect(cli).toBeDefined();
    const [node, script, ...rest] = execForm(lastOf(runtime, 'ENTRYPOINT'));
    expect(rest).toEqual([]);
    expect(node).toBe('/usr/bin/node-20');
    // The launcher is copied to where the ENTRYPOINT runs it, next to the compiled dist/ it loads.
    const copyBin = runtime.findIndex((i) => i.keyword === 'COPY' && /^bin\s+bin$/.test(i.args));
    expect(copyBin, 'COPY bin bin').toBeGreaterThan(0);
    const appDir = workdirAt(runtime, copyBin);
    expect(script).toBe(posix.join(appDir, posix.normalize(cli ?? '')));
    for (const from of ['dist', 'node_modules', 'package.json']) {
      const copied = runtime.find(
        (i, index) =>
          i.keyword === 'COPY' &&
          i.args.startsWith('--from=build ') &&
          i.args.includes(`/src/${from}`) &&
          workdirAt(runtime, index) === appDir,
      );
      expect(copied, `${from} copied from the build stage into ${appDir}`).toBeDefined();
    }
  });

  test("CMD and the dispatcher's container args are the same `worker build`", () => {
    expect(execForm(lastOf(runtime, 'CMD'))).toEqual([...BUILD_COMMAND_ARGS]);
    expect(container?.args).toEqual([...BUILD_COMMAND_ARGS]);
    expect(BUILD_COMMAND_ARGS).toEqual(['worker', 'build']);
  });

  test('installs Node 20, rpm-build and git from Fedora', () => {
    const packages = dnfPackages(runtime);
    expect(packages).toContain('nodejs20');
    expect(packages).toContain('rpm-build'); // rpmbuild and rpm, which the local builder runs
    expect(packages.some((p) => p === 'git' || p === 'git-core')).toBe(true);
  });

  test('the build stage compiles every folder tsconfig.build.json includes and drops dev dependencies', () => {
    const { include } = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const copied = build.filter((i) => i.keyword === 'COPY').map((i) => i.args.split(/\s+/)[0]);
    for (const folder of include) expect(copied, `COPY ${folder}`).toContain(folder);
    const runs = build.filter((i) => i.keyword === 'RUN').map((i) => i.args);
    expect(runs.some((r) => r.includes('npm ci'))).toBe(true);
    expect(runs.some((r) => r.includes('npm run build'))).toBe(true);
    expect(runs.some((r) => r.includes('npm prune --omit=dev'))).toBe(true);
  });

  test('copies the distribution tree from the context into the folder AZL_DISTRO_DIR names', () => {
    const distroDir = envOf(runtime).get('AZL_DISTRO_DIR');
    expect(distroDir).toBe('/srv/distro');
    const copies = runtime.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--'));
    // From the build context's `distro/` (the convention of npm run package and the deploy workflow).
    expect(copies.map((i) => i.args.split(/\s+/))).toContainEqual(['distro', distroDir]);
    expect(build.some((i) => i.keyword === 'COPY' && /^distro\b/.test(i.args))).toBe(false);
  });

  test('.dockerignore keeps distro/ in the context (az acr build and docker build honour it) but not its .git', () => {
    const ignored = dockerIgnore(read('.dockerignore'));
    for (const path of [
      'distro',
      'distro/azldev.toml',
      'distro/base/comps/a/a.comp.toml',
      'builder/Dockerfile',
    ]) {
      expect(ignored(path), path).toBe(false);
    }
    for (const path of ['.git', 'distro/.git', 'distro/.git/HEAD', 'node_modules/x', 'dist/functions']) {
      expect(ignored(path), path).toBe(true);
    }
  });

  test('sets no variable the dispatcher sends, and only AZL_ settings the code reads', () => {
    const imageEnv = envOf(runtime);
    for (const name of Object.keys(sentEnv)) expect(imageEnv.has(name), name).toBe(false);
    const sources = ['shared/settings/planner.ts', 'shared/settings/load-settings.ts'].map(read).join('\n');
    for (const name of imageEnv.keys()) {
      if (name.startsWith('AZL_')) expect(sources, `${name} is read by the settings`).toContain(`'${name}'`);
    }
  });
});

describe('what the dispatcher sends is what the worker reads', () => {
  test('the request and the results queue arrive through the variables the container reads', () => {
    expect(readBuildRequestFromEnv(sentEnv)).toEqual(request);
    expect(buildResultsQueueFromEnv(sentEnv)).toBe('build-results-test');
    // Further job variables (the identity's client id) pass through unchanged.
    expect(sentEnv['AZURE_CLIENT_ID']).toBe('00000000-0000-0000-0000-000000000001');
  });

  describe('the CLI runs `worker build` with those variables', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
      vi.restoreAllMocks();
    });

    test('without a request it fails naming the variable the dispatcher sets', async () => {
      const requestVariable = Object.keys(sentEnv).find(
        (name) => readBuildRequestFromEnvOrUndefined({ ...sentEnv, [name]: '' }) === undefined,
      );
      expect(requestVariable).toBeDefined();
      vi.stubEnv(requestVariable ?? '', '');
      const output: string[] = [];
      const capture = (chunk: string | Uint8Array): boolean => {
        output.push(String(chunk));
        return true;
      };
      vi.spyOn(process.stdout, 'write').mockImplementation(capture);
      vi.spyOn(process.stderr, 'write').mockImplementation(capture);
      vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => output.push(args.join(' ')));
      vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => output.push(args.join(' ')));
      const code = await main([...BUILD_COMMAND_ARGS]);
      expect(code).toBe(1);
      expect(output.join('')).toContain(`${requestVariable}: missing`);
    });
  });
});

function readBuildRequestFromEnvOrUndefined(env: Record<string, string>): unknown {
  try {
    return readBuildRequestFromEnv(env);
  } catch {
    return undefined;
  }
}

/**
 * Whether a context path is left out by these .dockerignore rules: Docker's matching (`*` and `?` within a
 * segment, `**` across segments, a rule matching a folder leaves out what is in it, `!` re-includes, the last
 * matching rule wins).
 */
function dockerIgnore(text: string): (path: string) => boolean {
  const rules = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = posix.normalize((include ? line.slice(1) : line).replace(/^\/+/, ''));
      const source = pattern
        .split('/')
        .map((segment) =>
          segment === '**'
            ? '.*'
            : segment
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]'),
        )
        .join('/')
        .replace(/\.\*\//g, '(?:.*/)?');
      return { include, regex: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (path) => rules.reduce((ignored, rule) => (rule.regex.test(path) ? !rule.include : ignored), false);
}

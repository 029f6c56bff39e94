import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  IMAGE_JOB_REQUEST_ENV,
  IMAGE_WORKER_COMMAND,
  imageExecutionTemplate,
  readImageJobRequest,
} from '../../infra/images/image-job-contract';
import { imageJobRequestSchema } from '../../shared/images/image-job-request';
import { KIWI_COMMAND } from '../../shared/images/kiwi-build-command';
import { dnfPackages, envOf, execForm, lastOf, parseDockerfile, workdirAt } from '../../testing/dockerfile';

/**
 * infra/images/image-builder.Dockerfile cannot be built here (no container engine, no Fedora registry): these
 * tests read it as text and hold it to the dispatcher's template and the worker's contract, and its build
 * stage to the package builder's, so none of them can drift alone.
 */
const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const DOCKERFILE = 'infra/images/image-builder.Dockerfile';

const stages = parseDockerfile(read(DOCKERFILE));
const runtime = stages[stages.length - 1] ?? [];
const build = stages.find((stage) => /\sAS\s+build$/i.test(stage[0]?.args ?? '')) ?? [];

const request = imageJobRequestSchema.parse({
  image: 'vm-base',
  version: '4.0.20250601.1',
  arch: 'x86_64',
  fingerprint: `sha256:${'ef'.repeat(32)}`,
  repositories: [
    {
      repository: 'base/x86_64',
      revision: 7,
      baseUrl: 'https://st.blob.core.windows.net/repos/base/x86_64/',
    },
  ],
  output: { container: 'images', vhdBlobName: 'vm-base/4.0.20250601.1/vm-base-4.0.20250601.1.vhd' },
});
const container = imageExecutionTemplate(request, {
  image: 'azlregistry.azurecr.io/azl-rebuilder-image-builder:1',
  containerName: 'azl-image',
  env: { AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001' },
}).containers[0];
const sentEnv = Object.fromEntries((container?.env ?? []).map(({ name, value }) => [name, value]));

describe('infra/images/image-builder.Dockerfile', () => {
  test('its build stage is the package builder image build stage, instruction for instruction', () => {
    const packageStages = parseDockerfile(read('builder/Dockerfile'));
    const packageBuild = packageStages.find((stage) => /\sAS\s+build$/i.test(stage[0]?.args ?? ''));
    expect(build.length).toBeGreaterThan(0);
    expect(build).toEqual(packageBuild);
    const { include } = JSON.parse(read('tsconfig.build.json')) as { include: string[] };
    const copied = build.filter((i) => i.keyword === 'COPY').map((i) => i.args.split(/\s+/)[0]);
    for (const folder of include) expect(copied, `COPY ${folder}`).toContain(folder);
  });

  test('runs on Fedora with kiwi-ng, its disk image dependencies, qemu-img and Node 20', () => {
    expect(runtime[0]?.args).toMatch(/^registry\.fedoraproject\.org\/fedora:/);
    const packages = dnfPackages(runtime);
    // kiwi-cli carries the `kiwi-ng` command the worker runs (KIWI_COMMAND), python3-kiwi its library.
    expect(KIWI_COMMAND).toBe('kiwi-ng');
    for (const name of ['kiwi-cli', 'python3-kiwi', 'kiwi-systemdeps-disk-images', 'qemu-img', 'nodejs20']) {
      expect(packages, name).toContain(name);
    }
    // The local builder's loop-less disk tools, for when kiwi-ng cannot use loop devices.
    for (const name of ['e2fsprogs', 'dosfstools', 'mtools']) expect(packages, name).toContain(name);
  });

  test('ENTRYPOINT is the CLI run by Fedora Node 20, as the package.json bin names it', () => {
    const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string> };
    const cli = pkg.bin['azl-rebuilder'] ?? '';
    const [node, script, ...rest] = execForm(lastOf(runtime, 'ENTRYPOINT'));
    expect(rest).toEqual([]);
    expect(node).toBe('/usr/bin/node-20');
    const copyBin = runtime.findIndex((i) => i.keyword === 'COPY' && /^bin\s+bin$/.test(i.args));
    expect(copyBin, 'COPY bin bin').toBeGreaterThan(0);
    expect(script).toBe(posix.join(workdirAt(runtime, copyBin), posix.normalize(cli)));
    for (const from of ['dist', 'node_modules', 'package.json']) {
      const copied = runtime.find(
        (i, index) =>
          i.keyword === 'COPY' &&
          i.args.startsWith('--from=build ') &&
          i.args.includes(`/src/${from}`) &&
          workdirAt(runtime, index) === workdirAt(runtime, copyBin),
      );
      expect(copied, `${from} copied from the build stage beside bin/`).toBeDefined();
    }
  });

  test("CMD is `worker image` and the dispatcher's args are that command with --image and --version", () => {
    expect(execForm(lastOf(runtime, 'CMD'))).toEqual([...IMAGE_WORKER_COMMAND]);
    expect(IMAGE_WORKER_COMMAND).toEqual(['worker', 'image']);
    expect(container?.args).toEqual(['worker', 'image', '--image', 'vm-base', '--version', '4.0.20250601.1']);
  });

  test('runs as root (kiwi-ng installs the image root as root) and holds the distro tree AZL_DISTRO_DIR names', () => {
    const user = lastOf(runtime, 'USER');
    expect(user === undefined || /^(root|0)$/.test(user.args)).toBe(true);
    const distroDir = envOf(runtime).get('AZL_DISTRO_DIR');
    expect(distroDir).toBe('/srv/distro');
    const copies = runtime.filter((i) => i.keyword === 'COPY' && !i.args.startsWith('--'));
    expect(copies.map((i) => i.args.split(/\s+/))).toContainEqual(['distro', distroDir]);
  });

  test('sets no variable the dispatcher sends, and only AZL_ settings the code reads', () => {
    const imageEnv = envOf(runtime);
    expect(Object.keys(sentEnv)).toContain(IMAGE_JOB_REQUEST_ENV);
    for (const name of Object.keys(sentEnv)) expect(imageEnv.has(name), name).toBe(false);
    const sources = ['shared/settings/planner.ts', 'shared/settings/load-settings.ts'].map(read).join('\n');
    for (const name of imageEnv.keys()) {
      if (name.startsWith('AZL_')) expect(sources, `${name} is read by the settings`).toContain(`'${name}'`);
    }
  });
});

describe('what the dispatcher sends is what the worker reads', () => {
  test('the container args after `worker image` and the env give back the request', () => {
    const args = (container?.args ?? []).slice(IMAGE_WORKER_COMMAND.length);
    expect(readImageJobRequest(args, sentEnv)).toEqual(request);
    expect(sentEnv['AZURE_CLIENT_ID']).toBe('00000000-0000-0000-0000-000000000001');
  });
});

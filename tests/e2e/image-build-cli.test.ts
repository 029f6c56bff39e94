import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseImageManifest } from '../../shared/images/manifest';
import { qemuImgInfo } from '../../testing/images/disk-tools';
import { buildTinyImageRepo, writeTinyImageTree } from '../../testing/images/tiny-image-repo';
import { runCli } from '../../testing/pipeline/cli-process';
import { useTempDir } from '../../testing/temp-dirs';

const MIB = 1024 * 1024;
const dir = useTempDir('azl-image-cli-');
let baseUrl: string;
let tree: string;

beforeAll(() => {
  ({ baseUrl } = buildTinyImageRepo(dir));
  tree = writeTinyImageTree();
});
afterAll(() => rmSync(tree, { recursive: true, force: true }));

async function imageBuild(...args: string[]) {
  return imageBuildOf(tree, ...args);
}

async function imageBuildOf(config: string, ...args: string[]) {
  const run = runCli(['--progress-interval', '0', 'image', 'build', '--config', config, ...args]);
  const code = await run.exited;
  return { code, answer: JSON.parse(run.stdout()) as Record<string, unknown>, output: run.output() };
}

describe('azl-rebuilder image build', () => {
  it('writes the VHD, manifest and SBOM to --out and answers with a JSON summary', async () => {
    const out = join(dir, 'out');
    const { code, answer, output } = await imageBuild('--image', 'tiny-vm', '--repo', baseUrl, '--out', out);
    expect(code, output).toBe(0);
    expect(answer).toMatchObject({
      image: 'tiny-vm',
      version: '1.2.3',
      vhd: join(out, 'tiny-vm-1.2.3.vhd'),
      manifest: join(out, 'manifest.json'),
      sbom: join(out, 'sbom.spdx.json'),
      packages: 4,
      missing: [],
      warnings: [],
    });
    expect(qemuImgInfo(join(out, 'tiny-vm-1.2.3.vhd'), 'vpc')['virtual-size']).toBe(64 * MIB);
    const manifest = parseImageManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(manifest.description.file).toBe('images/tiny-vm.kiwi');
    // The repository's id: the URL's last two path segments.
    expect(manifest.repositories.map((r) => r.repository)).toEqual([`${dir.split('/').at(-1)}/repo`]);
    expect(manifest.fingerprint).toBe(answer.fingerprint);
    expect(existsSync(join(out, 'sbom.spdx.json'))).toBe(true);
    // Progress went to stderr, never into the answer.
    expect(output).toMatch(/MiB written/);
  });

  it('fails with the missing names and exit code 1, or records them with --allow-missing', async () => {
    const out = join(dir, 'out-missing');
    const failed = await imageBuild(
      '--image',
      'tiny-vm-wants-more',
      '--repo',
      `base/x86_64=${baseUrl}`,
      '--out',
      out,
    );
    expect(failed.code).toBe(1);
    expect(failed.answer).toMatchObject({
      error: { code: 'image.missing-packages', missing: 'no-such-tool absent-daemon' },
    });
    expect(existsSync(join(out, 'manifest.json'))).toBe(false);

    const allowed = await imageBuild(
      '--image',
      'tiny-vm-wants-more',
      '--repo',
      `base/x86_64=${baseUrl}`,
      '--allow-missing',
      '--image-version',
      '2.0.0',
      '--out',
      out,
    );
    expect(allowed.code, allowed.output).toBe(0);
    expect(allowed.answer).toMatchObject({ version: '2.0.0', missing: ['absent-daemon', 'no-such-tool'] });
    const manifest = parseImageManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(manifest.repositories).toEqual([{ repository: 'base/x86_64', revision: 7, baseUrl }]);
    expect(manifest.requested.missing).toEqual(['absent-daemon', 'no-such-tool']);
  });

  it('leaves them out without --allow-missing when the image entry says allow-missing', async () => {
    const lenient = join(dir, 'lenient-tree');
    cpSync(tree, lenient, { recursive: true });
    const toml = join(lenient, 'azldev.toml');
    const text = readFileSync(toml, 'utf8');
    const entry = 'definition = { type = "kiwi", path = "images/tiny-vm-wants-more.kiwi" }\n';
    expect(text).toContain(entry);
    writeFileSync(toml, text.replace(entry, `${entry}allow-missing = true\n`));
    const out = join(dir, 'out-lenient');
    const built = await imageBuildOf(
      lenient,
      '--image',
      'tiny-vm-wants-more',
      '--repo',
      baseUrl,
      '--out',
      out,
    );
    expect(built.code, built.output).toBe(0);
    expect(built.answer).toMatchObject({ missing: ['absent-daemon', 'no-such-tool'] });
    const manifest = parseImageManifest(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')));
    expect(manifest.requested).toMatchObject({
      missing: ['absent-daemon', 'no-such-tool'],
      allowMissing: true,
    });
  });
});

import { appendFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderForBuild } from '../../infra/builders/render-for-build';
import {
  BINARY_FILES,
  folderHashes,
  writeBinaryUpstream,
  writeCloudInitDistro,
} from '../../testing/fixtures/binary-upstream';
import { runCli } from '../../testing/pipeline/cli-process';
import { tempDirForTest } from '../../testing/temp-dirs';

async function overlaysApply(distro: string, upstream: string, out: string) {
  const run = runCli([
    'overlays',
    'apply',
    '--config',
    distro,
    '--component',
    'cloud-init',
    '--upstream',
    upstream,
    '--out',
    out,
  ]);
  return { code: await run.exited, output: run.output() };
}

describe('azl-rebuilder overlays apply on a dist-git with binary files', () => {
  it("leaves the keyring, icon and tarball byte for byte and writes the build render's tree", async () => {
    const root = tempDirForTest('azl-overlays-bytes-');
    const upstream = writeBinaryUpstream(join(root, 'upstream'));
    const distro = writeCloudInitDistro(join(root, 'distro'));
    const { code, output } = await overlaysApply(distro, upstream, join(root, 'cli'));
    expect({ code, output }).toMatchObject({ code: 0 });

    const cli = folderHashes(join(root, 'cli'));
    const source = folderHashes(upstream);
    for (const path of BINARY_FILES)
      expect({ path, hash: cli.get(path) }).toEqual({ path, hash: source.get(path) });
    await renderForBuild({ config: distro, component: 'cloud-init', upstream, out: join(root, 'build') });
    expect(cli).toEqual(folderHashes(join(root, 'build')));
  });

  it('refuses a text overlay aimed at the keyring (exit 1), naming component, overlay and file', async () => {
    const root = tempDirForTest('azl-overlays-bytes-');
    const upstream = writeBinaryUpstream(join(root, 'upstream'));
    const distro = writeCloudInitDistro(join(root, 'distro'));
    appendFileSync(
      join(distro, 'base', 'comps', 'cloud-init', 'cloud-init.comp.toml'),
      '\n[[components.cloud-init.overlays]]\ntype = "file-prepend-lines"\nfile = "*.gpg"\nlines = ["# azl"]\n',
    );
    const { code, output } = await overlaysApply(distro, upstream, join(root, 'cli'));
    expect(code).toBe(1);
    expect(output).toContain('component cloud-init: overlay #3 (file-prepend-lines)');
    expect(output).toContain('"code":"overlay.binary-file"');
    expect(output).toContain('"file":"cloud-init-keyring.gpg"');
    expect(existsSync(join(root, 'cli'))).toBe(false);
  });
});

import { appendFileSync, chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderForBuild } from '../../../infra/builders/render-for-build';
import { applyOverlays } from '../../../infra/overlays/apply-overlays';
import {
  BINARY_FILES,
  folderHashes,
  writeBinaryUpstream,
  writeCloudInitDistro,
} from '../../../testing/fixtures/binary-upstream';
import { failure } from '../../../testing/failures';
import { tempDirForTest } from '../../../testing/temp-dirs';

const PATCH = 'fix-avoid-incorrect-CPE-parsing-on-Azure-Linux.patch';

function setUp() {
  const root = tempDirForTest('azl-render-paths-');
  return {
    root,
    upstream: writeBinaryUpstream(join(root, 'upstream')),
    distro: writeCloudInitDistro(join(root, 'distro')),
  };
}

/** The overlay the tests add to cloud-init's comp.toml: a text edit aimed at the binary keyring. */
const KEYRING_EDIT = `
[[components.cloud-init.overlays]]
description = "rewrite the keyring"
type = "file-search-replace"
file = "cloud-init-keyring.gpg"
regex = "Debian"
replacement = "Azure Linux"
`;

describe('one render path for overlays apply and the build', () => {
  it('writes the same tree from both, every file no overlay edits byte for byte', async () => {
    const { root, upstream, distro } = setUp();
    const options = { config: distro, component: 'cloud-init', upstream };
    await applyOverlays({ ...options, out: join(root, 'cli') });
    await renderForBuild({ ...options, out: join(root, 'build') });

    const cli = folderHashes(join(root, 'cli'));
    const source = folderHashes(upstream);
    expect(folderHashes(join(root, 'build'))).toEqual(cli);
    expect([...cli.keys()]).toEqual([...source.keys(), PATCH].sort((a, b) => a.localeCompare(b)));
    for (const [path, hash] of source) {
      if (path === 'cloud-init.spec') expect(cli.get(path)).not.toBe(hash);
      else expect({ path, hash: cli.get(path) }).toEqual({ path, hash });
    }
    for (const path of BINARY_FILES) {
      expect(statSync(join(root, 'cli', path)).size).toBe(statSync(join(upstream, path)).size);
    }
  });

  it('refuses a text overlay aimed at a binary file, in both, and writes nothing', async () => {
    const { root, upstream, distro } = setUp();
    appendFileSync(join(distro, 'base', 'comps', 'cloud-init', 'cloud-init.comp.toml'), KEYRING_EDIT);
    const options = { config: distro, component: 'cloud-init', upstream };
    const fromCli = await failure(applyOverlays({ ...options, out: join(root, 'cli') }));
    const fromBuild = await failure(renderForBuild({ ...options, out: join(root, 'build') }));
    expect(fromCli.code).toBe('overlay.binary-file');
    expect(fromCli.context).toMatchObject({
      component: 'cloud-init',
      overlayIndex: 3,
      overlayType: 'file-search-replace',
      file: 'cloud-init-keyring.gpg',
    });
    expect(fromBuild.toJSON()).toEqual(fromCli.toJSON());
    expect(fromCli.message).toContain('overlay #3 (file-search-replace "rewrite the keyring")');
    expect(existsSync(join(root, 'cli'))).toBe(false);
    expect(existsSync(join(root, 'build'))).toBe(false);
  });

  it('lets overlay globs see the downloaded sources, as azldev renders where it fetched them', async () => {
    const { root, upstream, distro } = setUp();
    appendFileSync(
      join(distro, 'base', 'comps', 'cloud-init', 'cloud-init.comp.toml'),
      '\n[[components.cloud-init.overlays]]\ntype = "file-rename"\nfile = "*.tar.gz"\nreplacement = "cloud-init-25.2-azl.tar.gz"\n',
    );
    await renderForBuild({ config: distro, component: 'cloud-init', upstream, out: join(root, 'build') });
    const out = folderHashes(join(root, 'build'));
    expect(out.has('cloud-init-25.2.tar.gz')).toBe(false);
    expect(out.get('cloud-init-25.2-azl.tar.gz')).toBe(folderHashes(upstream).get('cloud-init-25.2.tar.gz'));
  });

  it('keeps file modes: an executable passes through executable, and stays so when an overlay edits it', async () => {
    const { root, upstream, distro } = setUp();
    for (const script of ['check.sh', 'helper.sh']) {
      writeFileSync(join(upstream, script), '#!/bin/sh\necho fedora\n');
      chmodSync(join(upstream, script), 0o755);
    }
    appendFileSync(
      join(distro, 'base', 'comps', 'cloud-init', 'cloud-init.comp.toml'),
      '\n[[components.cloud-init.overlays]]\ntype = "file-search-replace"\nfile = "check.sh"\nregex = "fedora"\nreplacement = "azl"\n',
    );
    const out = join(root, 'build');
    await renderForBuild({ config: distro, component: 'cloud-init', upstream, out });
    const mode = (path: string, folder = out): string =>
      (statSync(join(folder, path)).mode & 0o777).toString(8);
    expect(readFileSync(join(out, 'check.sh'), 'utf8')).toBe('#!/bin/sh\necho azl\n');
    expect([mode('check.sh'), mode('helper.sh')]).toEqual(['755', '755']);
    expect(mode('cloud-init.spec')).toBe(mode('cloud-init.spec', upstream));
  });
});

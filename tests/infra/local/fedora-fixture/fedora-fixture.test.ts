import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDistroTree, resolveComponent, resolveSpecOrigin } from '../../../../shared/distro';
import { PipelineError } from '../../../../shared/errors';
import { FsDistroFiles } from '../../../../infra/distro/fs-distro-files';
import { buildLocally } from '../../../../infra/builders/build-locally';
import { RpmbuildBuilder } from '../../../../infra/builders/rpmbuild';
import type { LookasideServer, MaterialisedFixture } from '../../../../infra/local/fedora-fixture';
import {
  materialiseFedoraFixture,
  readFixturePackage,
  startLookasideServer,
  writeFixtureDistro,
} from '../../../../infra/local/fedora-fixture';
import { prepareSources } from '../../../../infra/sources/prepare-sources';
import { loadImageDescription } from '../../../../infra/images/load-image-descriptions';
import { summarizeTree } from '../../../../shared/distro/summary';
import { resolveImageDefinition } from '../../../../shared/images/resolve-definition';
import { useTempDir } from '../../../../testing/temp-dirs';
import { fixturePath } from '../../../../testing/fixtures/fixture-path';

const fixtureRoot = fixturePath('upstream');
const root = useTempDir('azl-fedora-fixture-');
let fixture: MaterialisedFixture;
let server: LookasideServer;
let distroDir: string;

beforeAll(async () => {
  fixture = materialiseFedoraFixture(join(root, 'fedora'), fixtureRoot);
  server = await startLookasideServer(fixture.lookasideDir);
  distroDir = writeFixtureDistro(
    join(root, 'distro'),
    { distGitBaseUri: fixture.distGitTemplate, lookasideBaseUri: server.template },
    fixtureRoot,
  );
});

afterAll(async () => {
  await server?.close();
});

describe('the local Fedora fixture: dist-git and lookaside', () => {
  it('serves every fixture package, so prepareSources fetches one as the distro tree names it, and it builds', async () => {
    expect(fixture.packages.map((p) => p.name)).toEqual([
      'azl-filesystem',
      'azl-greeter',
      'azl-hello-lib',
      'azl-hello-tool',
    ]);
    const tree = loadDistroTree(new FsDistroFiles(), distroDir);
    const origin = resolveSpecOrigin(tree, resolveComponent(tree, 'azl-greeter'));
    if (origin.kind !== 'upstream') throw new Error('expected an upstream spec');
    const upstreamDistro = tree.distros[origin.distro];
    const prepared = await prepareSources(
      {
        component: 'azl-greeter',
        distGitTemplate: upstreamDistro?.['dist-git-base-uri'] ?? '',
        branch: origin.branch ?? '',
        lookasideTemplate: upstreamDistro?.['lookaside-base-uri'] ?? '',
      },
      { outDir: join(root, 'prepared'), gitTimeoutMs: 10_000, downloadTimeoutMs: 5_000 },
    );
    expect(prepared.manifest).toMatchObject({ commit: fixture.commits.get('azl-greeter'), branch: 'f43' });
    const tarball = prepared.manifest.files.find((file) => file.path === 'azl-greeter-2.1.tar');
    expect(tarball).toMatchObject({ origin: 'lookaside', hashType: 'sha512' });

    const summary = await buildLocally({
      config: distroDir,
      component: 'azl-greeter',
      upstream: prepared.sourcesDir,
      out: join(root, 'out'),
      builder: new RpmbuildBuilder(),
      timeLimitMs: 120_000,
    });
    expect(summary.state, summary.message).toBe('succeeded');
    expect(summary.nevras.sort()).toEqual(['azl-greeter-2.1-2.azl4.src', 'azl-greeter-2.1-2.azl4.x86_64']);
  });

  it('writes a distro tree with the four components and the demo image, which config check counts', async () => {
    const tree = loadDistroTree(new FsDistroFiles(), distroDir);
    expect(summarizeTree(tree)).toMatchObject({ components: 4, images: 1 });
    const { entry, description } = await loadImageDescription(tree, 'demo-vm');
    expect(entry.allowMissing).toBe(true);
    const definition = resolveImageDefinition(entry, description, 'x86_64');
    expect(definition.packages.bootstrap).toEqual(['azl-filesystem', 'grub2-efi-x64', 'shim']);
    expect(definition.packages.image).toEqual(['azl-greeter', 'azl-hello-lib', 'azl-hello-tool', 'kernel']);
  });

  it('answers only files inside its folder', async () => {
    const entry = fixture.packages.find((p) => p.name === 'azl-greeter')?.sourcesEntries[0];
    const good = `${server.base}/repo/pkgs/azl-greeter/${entry?.filename}/sha512/${entry?.hash}/${entry?.filename}`;
    expect((await fetch(good)).status).toBe(200);
    for (const path of [
      '/repo/pkgs/..%2F..%2F..%2F..%2Fetc%2Fhostname',
      '/repo/pkgs/azl-greeter',
      '/etc/hostname',
    ]) {
      expect((await fetch(`${server.base}${path}`)).status, path).toBe(404);
    }
  });

  it('refuses a fixture whose sources file does not match the tarball made from its folder', () => {
    const copy = join(root, 'mismatch', 'azl-greeter');
    cpSync(join(fixtureRoot, 'azl-greeter'), copy, { recursive: true });
    writeFileSync(join(copy, 'azl-greeter-2.1', 'greeter.c'), '/* changed */\n', { flag: 'a' });
    let error: unknown;
    try {
      readFixturePackage(copy);
    } catch (caught) {
      error = caught;
    }
    expect(PipelineError.is(error, 'fixture.sources-mismatch')).toBe(true);
    expect(readFileSync(join(copy, 'sources'), 'utf8')).toContain('azl-greeter-2.1.tar');
  });
});

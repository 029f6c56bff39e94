import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadDistroTree } from '../../../shared/distro';
import { FsDistroFiles } from '../../../infra/distro/fs-distro-files';
import type { LookasideServer } from '../../../infra/local/fedora-fixture';
import {
  materialiseFedoraFixture,
  startLookasideServer,
  writeFixtureDistro,
} from '../../../infra/local/fedora-fixture';

export interface DemoFedora {
  /** The demo's distro tree (Azure Linux 4.0 format, with overlays), for `AZL_DISTRO_DIR`. */
  readonly distroDir: string;
  /** The fixture packages the small Fedora carries. */
  readonly packages: readonly string[];
  /** The preview images the demo tree defines (built once the packages are published). */
  readonly images: readonly string[];
  stop(): Promise<void>;
}

/**
 * The demo's "Fedora": the project's upstream fixture packages as a local dist-git and a lookaside served on
 * loopback, and a distro tree following them, written afresh under `<dataDir>/demo` on every start.
 */
export async function startDemoFedora(dataDir: string): Promise<DemoFedora> {
  const root = join(dataDir, 'demo');
  rmSync(root, { recursive: true, force: true });
  const fixture = materialiseFedoraFixture(join(root, 'fedora'));
  const lookaside: LookasideServer = await startLookasideServer(fixture.lookasideDir);
  const distroDir = writeFixtureDistro(join(root, 'distro'), {
    distGitBaseUri: fixture.distGitTemplate,
    lookasideBaseUri: lookaside.template,
  });
  const images = Object.keys(loadDistroTree(new FsDistroFiles(), distroDir).images).sort();
  return {
    distroDir,
    packages: fixture.packages.map((p) => p.name),
    images,
    stop: () => lookaside.close(),
  };
}

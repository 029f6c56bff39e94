import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildRequest } from '../../../shared/build';
import { buildOptionsOf } from '../../../shared/build/build-macros';
import type { ComponentPreparer, PreparedBuild } from '../../../shared/build-worker';
import { resolveComponent } from '../../../shared/distro';
import { sharedDistroTree } from '../../distro/distro-tree-cache';
import { syntheticSpecText } from './synthetic-spec';

/**
 * The synthetic builder's preparer: no Fedora sources, no overlays. It resolves the component in the distro
 * tree (an unknown one fails as the real preparer does, `distro.unknown-component`), takes its build options
 * (`%dist` and the rest), and writes the spec `syntheticSpecText` chooses into a fresh folder of its own.
 */
export class SyntheticComponentPreparer implements ComponentPreparer {
  constructor(
    private readonly distroDir: string,
    private readonly workRoot: string = join(tmpdir(), 'azl-synthetic-builds'),
  ) {}

  async prepare(request: BuildRequest): Promise<PreparedBuild & { release(): Promise<void> }> {
    // The process's cached tree, as FsComponentPreparer takes it (a changed folder applies within a second).
    // Loading the 7,400-component tree for each build was about a third of the pipeline's CPU at scale.
    const { tree } = sharedDistroTree(this.distroDir).current();
    const options = buildOptionsOf(tree, resolveComponent(tree, request.component));
    await mkdir(this.workRoot, { recursive: true });
    const root = await mkdtemp(join(this.workRoot, `${request.component}-`));
    const sourceDir = join(root, 'rendered');
    const specFile = `${request.component}.spec`;
    await mkdir(sourceDir);
    await writeFile(join(sourceDir, specFile), syntheticSpecText(request.component, request.requestedAt));
    return {
      sourceDir,
      specFile,
      workDir: join(root, 'build'),
      ...options,
      release: () => rm(root, { recursive: true, force: true }),
    };
  }
}

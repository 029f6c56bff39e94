import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { BuildRequest } from '../../shared/build';
import { buildOptionsOf } from '../../shared/build/build-macros';
import type { ComponentPreparer, PreparedBuild } from '../../shared/build-worker';
import { resolveComponent, resolveSpecOrigin } from '../../shared/distro';
import { describeError, PipelineError } from '../../shared/errors';
import { renderForBuild } from '../builders/render-for-build';
import { sharedDistroTree } from '../distro/distro-tree-cache';
import { lockFolder } from './folder-lock';
import { prepareSources } from '../sources/prepare-sources';

/**
 * Prepares a build from the distro tree on disk: the component's effective config and spec origin, its
 * Fedora sources at the commit the request names (else the pin, the snapshot or the branch head) with the
 * lookaside downloads verified, then its overlays rendered into a fresh work folder. A local spec is
 * rendered from its own folder.
 */
export class FsComponentPreparer implements ComponentPreparer {
  constructor(
    private readonly distroDir: string,
    private readonly options: { readonly workRoot?: string; readonly fetch?: typeof fetch } = {},
  ) {}

  async prepare(request: BuildRequest): Promise<PreparedBuild & { release(): Promise<void> }> {
    const { tree } = sharedDistroTree(this.distroDir).current(); // reloaded when the folder changes
    const effective = resolveComponent(tree, request.component);
    const origin = resolveSpecOrigin(tree, effective);
    // One fixed folder per component, so paths compiled into the binaries are the same from build to build
    // and unchanged contents compare equal. The `builds` session serializes a component's builds; the lock
    // makes two workers on one machine (or parallel tests) take turns on the folder.
    const root = join(this.options.workRoot ?? join(tmpdir(), 'azl-builds'), request.component);
    await mkdir(dirname(root), { recursive: true });
    const unlock = await lockFolder(root).catch((error: unknown) => {
      throw PipelineError.transient('build.workdir-busy', describeError(error), {
        component: request.component,
      });
    });
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    const release = async () => {
      await rm(root, { recursive: true, force: true });
      await unlock();
    };
    try {
      let upstream: string;
      if (origin.kind === 'local') upstream = dirname(origin.path);
      else {
        const distro = tree.distros[origin.distro];
        const prepared = await prepareSources(
          {
            component: request.component,
            upstreamName: origin.upstreamName,
            distGitTemplate: distro?.['dist-git-base-uri'] ?? '',
            branch: origin.branch ?? '',
            lookasideTemplate: distro?.['lookaside-base-uri'] ?? '',
            ...(request.upstream?.commit ? { eventCommit: request.upstream.commit } : {}),
            ...(origin.commit ? { pinnedCommit: origin.commit } : {}),
            ...(origin.snapshot ? { snapshot: origin.snapshot } : {}),
          },
          { outDir: join(root, 'sources'), ...(this.options.fetch ? { fetch: this.options.fetch } : {}) },
        );
        upstream = prepared.sourcesDir;
      }
      const sourceDir = join(root, 'rendered');
      await renderForBuild({
        config: this.distroDir,
        component: request.component,
        upstream,
        out: sourceDir,
      });
      return {
        sourceDir,
        specFile: `${request.component}.spec`,
        workDir: join(root, 'build'),
        ...buildOptionsOf(tree, effective),
        release,
      };
    } catch (error) {
      await release();
      throw error;
    }
  }
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import type { DistroTree } from '../../shared/distro/tree';
import { PipelineError } from '../../shared/errors';
import type { BuildableImage, BuildableImages } from '../../shared/images/image-build-service';
import { resolveImageDefinition } from '../../shared/images/resolve-definition';
import { sharedDistroTree } from '../distro/distro-tree-cache';
import { loadImageDescription } from './load-image-descriptions';

/**
 * The image `name` of `tree`, ready to build for `arch`: its kiwi description read, parsed and resolved
 * (profiles, `arch` filters), and named in manifests by its path from the tree's parent folder and the
 * SHA-256 of its bytes. `image.unknown-image` when the tree has none.
 */
export async function buildableImage(tree: DistroTree, name: string, arch: string): Promise<BuildableImage> {
  const { entry, description } = await loadImageDescription(tree, name);
  const bytes = await readFile(entry.file);
  return {
    name,
    definition: resolveImageDefinition(entry, description, arch),
    descriptionPath: entry.file,
    description: {
      file: relative(dirname(tree.root), entry.file),
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
    allowMissing: entry.allowMissing,
  };
}

/**
 * The images of the distro tree in `distroDir` (the process's shared tree, reloaded when a file of the folder
 * changes, so a tree deployed since is what a build uses), built for `arch` (`AZL_IMAGE_ARCH`).
 */
export function treeBuildableImages(distroDir: string, arch: string): BuildableImages {
  return {
    async get(name: string): Promise<BuildableImage | undefined> {
      const { tree } = sharedDistroTree(distroDir).current();
      try {
        return await buildableImage(tree, name, arch);
      } catch (error) {
        if (PipelineError.is(error, 'image.unknown-image')) return undefined;
        throw error;
      }
    },
  };
}

import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  ImageBuilder,
  ImageBuilderOutcome,
  ImageBuildJob,
} from '../../shared/images/image-build-service';
import { pipelineVersion } from '../os/project-paths';
import { buildLocalImage, LOCAL_BUILDER_KIND } from './local-image-builder';

/**
 * The local image builder behind the build service's port: each job in a fresh folder under `workRoot` (the
 * staged root, the partition images, then the VHD and its documents), removed once the VHD is published or
 * the build failed, so a machine that builds many versions keeps none of them.
 */
export function localImageBuildRunner(workRoot: string): ImageBuilder {
  return {
    kind: LOCAL_BUILDER_KIND,
    async build(job: ImageBuildJob): Promise<ImageBuilderOutcome> {
      await mkdir(workRoot, { recursive: true });
      const folder = await mkdtemp(join(workRoot, `${job.image.name}-${job.version}-`));
      const dispose = () => rm(folder, { recursive: true, force: true });
      try {
        const result = await buildLocalImage({
          definition: job.image.definition,
          description: job.image.description,
          repositories: job.repositories.map((r) => ({ id: r.repository, baseUrl: r.baseUrl })),
          image: { name: job.image.name, version: job.version },
          workDir: join(folder, 'work'),
          outDir: join(folder, 'out'),
          allowMissing: job.image.allowMissing,
          builderVersion: pipelineVersion(),
        });
        // The staged root and partition images are not needed to publish: free the space at once.
        await rm(join(folder, 'work'), { recursive: true, force: true });
        return {
          kind: 'built',
          vhdFile: result.vhdPath,
          manifest: result.manifest,
          sbom: await readFile(result.sbomPath, 'utf8'),
          dispose,
        };
      } catch (error) {
        await dispose();
        throw error;
      }
    },
  };
}

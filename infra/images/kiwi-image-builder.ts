import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PipelineError } from '../../shared/errors';
import type {
  ImageBuilder,
  ImageBuilderOutcome,
  ImageBuildJob,
} from '../../shared/images/image-build-service';
import { buildImageManifest, VHD_FOOTER_BYTES } from '../../shared/images/manifest';
import { requestedPackages } from '../../shared/images/resolve-definition';
import { vhdBlobName } from '../../shared/images/vhd-blob-name';
import { pipelineVersion } from '../os/project-paths';
import { imageJobRequestOf } from './cloud-image-builder';
import { readInstalledPackages } from './installed-packages';
import { runKiwiBuild } from './kiwi-run';
import { scanVhd } from './vhd-scan';

/** The kiwi builder's name in manifests (`builder.kind`). */
export const KIWI_BUILDER_KIND = 'kiwi-ng';

export interface KiwiImageBuilderOptions {
  /** A folder per build is made here (kiwi-ng's target dir) and removed once the VHD is published. */
  readonly workRoot: string;
  readonly kiwiExecutable?: string;
  /** kiwi-ng's output as it comes (the execution's log). */
  readonly onOutput?: (chunk: string) => void;
}

/**
 * What `azl-rebuilder worker image` builds with inside the image builder container: kiwi-ng on the image's
 * real description with the pipeline's repositories (`runKiwiBuild`), then the manifest from kiwi-ng's
 * image root (its rpm database) and the VHD (size, SHA-256 and the bytes that are not zero).
 *
 * kiwi-ng installs every package the description names or fails, so it cannot leave out what no repository
 * has: an image with `allow-missing` is refused here (`image.unsupported-setting`); the local builder is the
 * one that builds such previews.
 */
export function kiwiImageBuilder(options: KiwiImageBuilderOptions): ImageBuilder {
  return {
    kind: KIWI_BUILDER_KIND,
    async build(job: ImageBuildJob): Promise<ImageBuilderOutcome> {
      if (job.image.allowMissing)
        throw PipelineError.permanent(
          'image.unsupported-setting',
          `image '${job.image.name}': allow-missing is not supported by kiwi-ng builds (the local builder has it)`,
          { image: job.image.name, element: `images.${job.image.name}.allow-missing` },
        );
      await mkdir(options.workRoot, { recursive: true });
      const folder = await mkdtemp(join(options.workRoot, `${job.image.name}-${job.version}-`));
      const dispose = () => rm(folder, { recursive: true, force: true });
      try {
        const run = await runKiwiBuild({
          request: imageJobRequestOf(job),
          descriptionFile: job.image.descriptionPath,
          targetDir: folder,
          ...(options.kiwiExecutable === undefined ? {} : { kiwiExecutable: options.kiwiExecutable }),
          ...(options.onOutput === undefined ? {} : { onOutput: options.onOutput }),
        });
        const scan = await scanVhd(run.vhdFile);
        const packages = await readInstalledPackages(run.imageRoot);
        const { definition } = job.image;
        const requested = requestedPackages(definition);
        const manifest = buildImageManifest({
          image: { name: job.image.name, version: job.version },
          fingerprint: job.fingerprint,
          description: job.image.description,
          repositories: job.repositories.map((r) => ({ ...r })),
          packages,
          requested: { packages: requested, missing: [], allowMissing: false },
          sizes: {
            virtualBytes: scan.size - VHD_FOOTER_BYTES,
            vhdFileBytes: scan.size,
            dataBytes: scan.dataRanges.reduce((sum, r) => sum + r.end - r.start, 0) - VHD_FOOTER_BYTES,
          },
          vhd: { file: basename(vhdBlobName(job.image.name, job.version)), sha256: scan.sha256 },
          builtAt: new Date(),
          builder: { kind: KIWI_BUILDER_KIND, version: pipelineVersion() },
        });
        return { kind: 'built', vhdFile: run.vhdFile, manifest, dispose };
      } catch (error) {
        await dispose();
        throw error;
      }
    },
  };
}

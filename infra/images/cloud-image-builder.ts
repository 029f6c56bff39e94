import { PipelineError } from '../../shared/errors';
import type { ImageJobRequest } from '../../shared/images/image-job-request';
import type {
  ImageBuilder,
  ImageBuilderOutcome,
  ImageBuildJob,
} from '../../shared/images/image-build-service';
import { imagesContainer } from '../../shared/storage/containers';
import { vhdBlobName } from '../../shared/images/vhd-blob-name';
import type { ContainerAppsImageDispatcher } from './container-apps-image-dispatcher';

/**
 * Cloud image builds behind the build service's port: the job becomes one Container Apps Job execution
 * (`azl-rebuilder worker image` running kiwi-ng in the image builder container), and the service leaves the
 * record `building`; the worker uploads the VHD and moves the record on itself, as `image publish` does.
 */
export function cloudImageBuilder(dispatcher: ContainerAppsImageDispatcher): ImageBuilder {
  return {
    kind: dispatcher.name,
    async build(job: ImageBuildJob): Promise<ImageBuilderOutcome> {
      const { executionName } = await dispatcher.start(imageJobRequestOf(job));
      return { kind: 'dispatched', detail: `execution ${executionName}` };
    },
  };
}

/** The job as the contract of `worker image` carries it (shared/images/image-job-request.ts). */
export function imageJobRequestOf(job: ImageBuildJob): ImageJobRequest {
  return {
    image: job.image.name,
    version: job.version,
    arch: cloudArch(job),
    profiles: [...job.image.definition.profiles],
    fingerprint: job.fingerprint,
    repositories: job.repositories.map((r) => ({ ...r })),
    allowMissing: job.image.allowMissing,
    output: { container: imagesContainer.name, vhdBlobName: vhdBlobName(job.image.name, job.version) },
  };
}

/** The architectures the image builder job is made for; any other is refused, never built as x86_64. */
function cloudArch(job: ImageBuildJob): 'x86_64' | 'aarch64' {
  const { arch } = job.image.definition;
  if (arch === 'x86_64' || arch === 'aarch64') return arch;
  throw PipelineError.permanent(
    'image.unsupported-setting',
    `image '${job.image.name}': the cloud image builder builds x86_64 or aarch64, not ${arch}`,
    { image: job.image.name, element: 'arch', value: arch },
  );
}

import type { TokenCredential } from '@azure/core-auth';
import { PipelineError } from '../../shared/errors';
import type { ImageJobRequest } from '../../shared/images/image-job-request';
import type { ContainerAppsImageBuilderSettings } from '../../shared/settings/load-settings';
import { createArmCredential } from '../arm/credential';
import { ContainerAppsJobDispatcher, JobsClient } from '../builders/container-apps';
import type {
  ContainerAppsJobDispatcherOptions,
  ExecutionStatus,
  WaitOptions,
} from '../builders/container-apps';
import { imageExecutionTemplate } from './image-job-contract';

/**
 * Cloud image builds (`AZL_IMAGE_BUILDER=container-apps-job`): one execution of the image builder's Container
 * Apps Job per build, running `azl-rebuilder worker image` (image-job-contract.ts) in the image builder
 * container (image-builder.Dockerfile). Starting and waiting are the package builder's
 * (infra/builders/container-apps/): the same `@azure/arm-appcontainers` calls, 202 polling, throttling and
 * error codes (`arm.*`); only the template and what an execution's end means are the image build's.
 *
 * An execution's end, as an outcome:
 * - Succeeded: `built` (the worker exits 0 only once the VHD and its manifest are uploaded).
 * - Failed or Degraded: `failed` with the permanent `image.build-execution-failed`: kiwi-ng on the same
 *   description and repository revisions fails the same way, so it is not retried until something moves.
 * - Stopped: `failed` with the transient `image.build-execution-stopped` (someone or the platform stopped it;
 *   nothing says the build itself was wrong).
 * Not ending within the wait is `arm.execution-wait-timeout` (transient), thrown as the package builder does.
 */
export type ImageJobOutcome =
  | {
      readonly outcome: 'built';
      readonly executionName: string;
      readonly startTime?: string;
      readonly endTime?: string;
    }
  | {
      readonly outcome: 'failed';
      readonly executionName: string;
      readonly error: PipelineError;
      readonly startTime?: string;
      readonly endTime?: string;
    };

export type ContainerAppsImageDispatcherOptions = Omit<
  ContainerAppsJobDispatcherOptions,
  'settings' | 'resultsQueue'
> & {
  readonly settings: Pick<ContainerAppsImageBuilderSettings, 'job' | 'image' | 'containerName' | 'resources'>;
};

export class ContainerAppsImageDispatcher {
  readonly name = 'container-apps-job';
  private readonly jobs: ContainerAppsJobDispatcher;
  private readonly options: ContainerAppsImageDispatcherOptions;

  constructor(options: ContainerAppsImageDispatcherOptions) {
    this.options = options;
    this.jobs = new ContainerAppsJobDispatcher(options);
  }

  /** Starts the execution that builds `request` and returns its ARM name. */
  async start(request: ImageJobRequest, signal?: AbortSignal): Promise<{ executionName: string }> {
    const { settings, env } = this.options;
    const template = imageExecutionTemplate(request, {
      image: settings.image,
      containerName: settings.containerName,
      ...(settings.resources === undefined ? {} : { resources: settings.resources }),
      ...(env === undefined ? {} : { env }),
    });
    return this.jobs.startWithTemplate(template, { image: request.image, version: request.version }, signal);
  }

  /** Waits for the execution to end and says what its end means for the build. */
  async waitForOutcome(
    request: ImageJobRequest,
    executionName: string,
    options: WaitOptions,
  ): Promise<ImageJobOutcome> {
    const status = await this.jobs.waitForExecution(executionName, options);
    return imageJobOutcome(request, status, this.options.settings.job.jobName);
  }

  /** Start, then wait: the whole cloud build of one image version. */
  async build(request: ImageJobRequest, options: WaitOptions): Promise<ImageJobOutcome> {
    const { executionName } = await this.start(request, options.signal);
    return this.waitForOutcome(request, executionName, options);
  }
}

/** A final execution status as an outcome (see the module comment). */
export function imageJobOutcome(
  request: ImageJobRequest,
  status: ExecutionStatus,
  jobName: string,
): ImageJobOutcome {
  const times = {
    ...(status.startTime === undefined ? {} : { startTime: status.startTime }),
    ...(status.endTime === undefined ? {} : { endTime: status.endTime }),
  };
  const { executionName } = status;
  if (status.state === 'succeeded') return { outcome: 'built', executionName, ...times };
  const context = {
    image: request.image,
    version: request.version,
    job: jobName,
    executionName,
    armStatus: status.armStatus ?? null,
  };
  const what = `the build of image ${request.image} ${request.version} (execution ${executionName} of ${jobName})`;
  const error =
    status.state === 'stopped'
      ? PipelineError.transient('image.build-execution-stopped', `${what} was stopped`, context)
      : PipelineError.permanent(
          'image.build-execution-failed',
          `${what} ended ${status.armStatus ?? 'Failed'}; its container logs say why`,
          context,
        );
  return { outcome: 'failed', executionName, error, ...times };
}

/** The image dispatcher from app settings, with the managed identity (`AZURE_CLIENT_ID` when user-assigned). */
export function createContainerAppsImageDispatcher(
  settings: ContainerAppsImageBuilderSettings,
  options: Omit<ContainerAppsImageDispatcherOptions, 'client' | 'settings'> = {},
  credential: TokenCredential = createArmCredential(settings.clientId),
): ContainerAppsImageDispatcher {
  const client = new JobsClient({
    endpoint: settings.armEndpoint,
    credential,
    subscriptionId: settings.job.subscriptionId,
  });
  return new ContainerAppsImageDispatcher({ ...options, client, settings });
}

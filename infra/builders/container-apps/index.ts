/**
 * The cloud builder: one Azure Container Apps Job execution per build, started through `@azure/arm-appcontainers`
 * with a managed identity token. The function-side worker dispatches and later receives the outcome on the
 * `build-results` queue; the container runs `azl-rebuilder worker build`, reads its request with
 * `readBuildRequestFromEnv` and ends with `reportBuildResult`. Typical use on the function side:
 *
 *   const dispatcher = createContainerAppsJobDispatcher(settings.builder);
 *   const { executionName } = await dispatcher.dispatch(request);
 */
import type { TokenCredential } from '@azure/core-auth';
import type { ContainerAppsJobBuilderSettings } from '../../../shared/settings/load-settings';
import { createArmCredential } from '../../arm/credential';
import { ContainerAppsJobDispatcher } from './dispatcher';
import type { ContainerAppsJobDispatcherOptions } from './dispatcher';
import { JobsClient } from './jobs-client';

export { createArmCredential } from '../../arm/credential';
export { JobsClient, CONTAINER_APPS_API_VERSION } from './jobs-client';
export type { JobsClientOptions } from './jobs-client';
export { ContainerAppsJobDispatcher } from './dispatcher';
export type { ContainerAppsJobDispatcherOptions, Sleep, WaitOptions } from './dispatcher';
export { getExecutionStatus, mapExecutionStatus } from './execution-status';
export type { ExecutionState, ExecutionStatus } from './execution-status';
export {
  BUILD_COMMAND_ARGS,
  BUILD_REQUEST_ENV,
  BUILD_RESULTS_QUEUE_ENV,
  encodeBuildRequest,
  executionTemplate,
  startExecution,
} from './start-execution';
export type { JobExecutionTemplate, StartOperation } from './start-execution';
export {
  buildResultMessage,
  buildResultsQueueFromEnv,
  readBuildRequestFromEnv,
  reportBuildResult,
} from './report-result';

/** The dispatcher from app settings, with the managed identity (`AZURE_CLIENT_ID` when user-assigned). */
export function createContainerAppsJobDispatcher(
  settings: ContainerAppsJobBuilderSettings,
  options: Omit<ContainerAppsJobDispatcherOptions, 'client' | 'settings'> = {},
  credential: TokenCredential = createArmCredential(settings.clientId),
): ContainerAppsJobDispatcher {
  const client = new JobsClient({
    endpoint: settings.armEndpoint,
    credential,
    subscriptionId: settings.job.subscriptionId,
  });
  return new ContainerAppsJobDispatcher({ ...options, client, settings });
}

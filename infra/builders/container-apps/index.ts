/**
 * The cloud builder: one Azure Container Apps Job execution per build, started through the ARM REST API with
 * a managed identity token. The function-side worker dispatches and later receives the outcome on the
 * `build-results` queue; the container runs `azl-rebuilder worker build`, reads its request with
 * `readBuildRequestFromEnv` and ends with `reportBuildResult`. Typical use on the function side:
 *
 *   const dispatcher = createContainerAppsJobDispatcher(settings.builder);
 *   const { executionName } = await dispatcher.dispatch(request);
 */
import type { ContainerAppsJobBuilderSettings } from '../../../shared/settings/load-settings';
import { ArmClient } from './arm-client';
import { createArmCredential } from '../../arm/credential';
import { ContainerAppsJobDispatcher } from './dispatcher';
import type { ContainerAppsJobDispatcherOptions } from './dispatcher';

export { ArmClient } from './arm-client';
export type { ArmClientOptions, ArmRequest, ArmResponse } from './arm-client';
export { createArmCredential } from '../../arm/credential';
export { ContainerAppsJobDispatcher } from './dispatcher';
export type { ContainerAppsJobDispatcherOptions, Sleep, WaitOptions } from './dispatcher';
export { getExecutionStatus, mapExecutionStatus } from './execution-status';
export type { ExecutionState, ExecutionStatus } from './execution-status';
export {
  BUILD_COMMAND_ARGS,
  BUILD_REQUEST_ENV,
  BUILD_RESULTS_QUEUE_ENV,
  CONTAINER_APPS_API_VERSION,
  encodeBuildRequest,
  executionTemplate,
  startExecution,
} from './start-execution';
export type { JobExecutionTemplate, StartAnswer } from './start-execution';
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
): ContainerAppsJobDispatcher {
  const client = new ArmClient({
    endpoint: settings.armEndpoint,
    credential: createArmCredential(settings.clientId),
  });
  return new ContainerAppsJobDispatcher({ ...options, client, settings });
}

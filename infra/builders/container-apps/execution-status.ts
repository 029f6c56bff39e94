import { z } from 'zod';
import type { ContainerAppsJobId } from '../../../shared/settings/load-settings';
import type { ArmClient } from './arm-client';
import { armMalformed } from './arm-errors';
import { CONTAINER_APPS_API_VERSION } from './start-execution';

/**
 * `GET <job id>/executions/<name>` (Jobs_Execution_Get) and what its `properties.status` means for a build.
 * ARM's JobExecutionRunningState: Running, Processing, Stopped, Degraded, Failed, Unknown, Succeeded.
 * Succeeded, Failed, Degraded and Stopped are final; Running, Processing, Unknown and a missing or new value
 * (ARM enums are extensible) mean "not yet", so a waiter keeps polling until its own time limit.
 */
export type ExecutionState = 'running' | 'succeeded' | 'failed' | 'stopped';

export interface ExecutionStatus {
  readonly executionName: string;
  readonly state: ExecutionState;
  readonly final: boolean;
  /** The status exactly as ARM wrote it, for records and logs. */
  readonly armStatus?: string;
  readonly startTime?: string;
  readonly endTime?: string;
}

export function mapExecutionStatus(armStatus: string | undefined): ExecutionState {
  switch (armStatus?.toLowerCase()) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
    case 'degraded':
      return 'failed';
    case 'stopped':
      return 'stopped';
    default:
      return 'running';
  }
}

const executionBody = z.object({
  name: z.string().min(1),
  properties: z
    .object({
      status: z.string().optional(),
      startTime: z.string().optional(),
      endTime: z.string().optional(),
    })
    .optional(),
});

export const executionUrl = (job: ContainerAppsJobId, executionName: string): string =>
  `${job.resourceId}/executions/${encodeURIComponent(executionName)}?api-version=${CONTAINER_APPS_API_VERSION}`;

export async function getExecutionStatus(
  client: ArmClient,
  job: ContainerAppsJobId,
  executionName: string,
  signal?: AbortSignal,
): Promise<ExecutionStatus> {
  const context = { job: job.jobName, executionName, operation: 'get execution' };
  const response = await client.send({
    method: 'GET',
    url: executionUrl(job, executionName),
    operation: 'get execution',
    context,
    ...(signal ? { signal } : {}),
  });
  const parsed = executionBody.safeParse(response.body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the body';
    throw armMalformed(`a body that is not a job execution (${where}: ${issue?.message ?? 'invalid'})`, {
      ...context,
      status: response.status,
    });
  }
  const { status, startTime, endTime } = parsed.data.properties ?? {};
  const state = mapExecutionStatus(status);
  return {
    executionName: parsed.data.name,
    state,
    final: state !== 'running',
    ...(status === undefined ? {} : { armStatus: status }),
    ...(startTime === undefined ? {} : { startTime }),
    ...(endTime === undefined ? {} : { endTime }),
  };
}

import { z } from 'zod';
import type { ContainerAppsJobId } from '../../../shared/settings/load-settings';
import { armCallError, armMalformed } from './arm-errors';
import type { JobsClient } from './jobs-client';

/**
 * `GET <job id>/executions/<name>` (Jobs_Execution_Get, the SDK's `jobExecution`) and what its status means
 * for a build.
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
  /** ISO 8601 UTC (`2025-06-01T10:00:05.000Z`), as the SDK reads ARM's times. */
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

// The SDK's JobExecution, flattened (`properties.status` is `status`) and with its times as Dates.
const executionBody = z.object({
  name: z.string().min(1),
  status: z.string().optional(),
  startTime: z.date().optional(),
  endTime: z.date().optional(),
});

export async function getExecutionStatus(
  client: JobsClient,
  job: ContainerAppsJobId,
  executionName: string,
  signal?: AbortSignal,
): Promise<ExecutionStatus> {
  const context = { job: job.jobName, executionName, operation: 'get execution' };
  let execution: unknown;
  try {
    execution = await (
      await client.api()
    ).jobExecution(job.resourceGroup, job.jobName, executionName, {
      ...(signal ? { abortSignal: signal } : {}),
    });
  } catch (error) {
    throw armCallError(error, context, { signal, scope: client.scope });
  }
  const parsed = executionBody.safeParse(execution);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the body';
    throw armMalformed(
      `a body that is not a job execution (${where}: ${issue?.message ?? 'invalid'})`,
      context,
    );
  }
  const { name, status, startTime, endTime } = parsed.data;
  const state = mapExecutionStatus(status);
  return {
    executionName: name,
    state,
    final: state !== 'running',
    ...(status === undefined ? {} : { armStatus: status }),
    ...(startTime === undefined ? {} : { startTime: startTime.toISOString() }),
    ...(endTime === undefined ? {} : { endTime: endTime.toISOString() }),
  };
}

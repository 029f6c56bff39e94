import type { BuildRequest } from '../../../shared/build';
import type { ErrorContext } from '../../../shared/errors';
import type { ContainerAppsJobId } from '../../../shared/settings/load-settings';
import type { ArmClient, ArmResponse } from './arm-client';
import { armMalformed } from './arm-errors';

/**
 * `POST <job id>/start` (ARM operation Jobs_Start) with a JobExecutionTemplate: one execution of the job runs
 * `azl-rebuilder worker build` for one build request. ARM answers 200 with a JobExecutionBase (`name`, `id`
 * of the execution), or 202 with a `Location` to poll until that 200 arrives.
 */
export const CONTAINER_APPS_API_VERSION = '2025-07-01';
export const BUILD_REQUEST_ENV = 'AZL_BUILD_REQUEST';
export const BUILD_RESULTS_QUEUE_ENV = 'AZL_BUILD_RESULTS_QUEUE';
/** The image's entrypoint is the CLI (`bin/azl-rebuilder.js`); these are its arguments. */
export const BUILD_COMMAND_ARGS: readonly string[] = ['worker', 'build'];

export interface ExecutionContainer {
  /** The template replaces the job's containers for this execution, so image and name are always sent. */
  readonly image: string;
  readonly containerName: string;
  readonly resources?: { readonly cpu: number; readonly memory: string };
  readonly resultsQueue: string;
  /**
   * Further variables the build needs (Service Bus namespace, storage account, identity client id), since
   * the execution's containers come from this template rather than the job's.
   */
  readonly env?: Readonly<Record<string, string>>;
}

export interface JobExecutionTemplate {
  readonly containers: readonly {
    readonly name: string;
    readonly image: string;
    readonly args: readonly string[];
    readonly env: readonly { readonly name: string; readonly value: string }[];
    readonly resources?: { readonly cpu: number; readonly memory: string };
  }[];
}

/** The request as the container reads it: its JSON, base64 (an env value carries no newlines or quotes). */
export function encodeBuildRequest(request: BuildRequest): string {
  return Buffer.from(JSON.stringify(request), 'utf8').toString('base64');
}

export function executionTemplate(
  request: BuildRequest,
  container: ExecutionContainer,
): JobExecutionTemplate {
  const env = [
    ...Object.entries(container.env ?? {})
      .filter(([name]) => name !== BUILD_REQUEST_ENV && name !== BUILD_RESULTS_QUEUE_ENV)
      .map(([name, value]) => ({ name, value })),
    { name: BUILD_REQUEST_ENV, value: encodeBuildRequest(request) },
    { name: BUILD_RESULTS_QUEUE_ENV, value: container.resultsQueue },
  ];
  return {
    containers: [
      {
        name: container.containerName,
        image: container.image,
        args: [...BUILD_COMMAND_ARGS],
        env,
        ...(container.resources === undefined ? {} : { resources: { ...container.resources } }),
      },
    ],
  };
}

export const startUrl = (job: ContainerAppsJobId): string =>
  `${job.resourceId}/start?api-version=${CONTAINER_APPS_API_VERSION}`;

/** A start names its execution, or (202) says where to follow it until it does. */
export type StartAnswer =
  | { readonly kind: 'started'; readonly executionName: string }
  | { readonly kind: 'pending'; readonly location: string; readonly retryAfterMs?: number };

export async function startExecution(
  client: ArmClient,
  job: ContainerAppsJobId,
  template: JobExecutionTemplate,
  signal?: AbortSignal,
): Promise<StartAnswer> {
  const context: ErrorContext = { job: job.jobName };
  const response = await client.send({
    method: 'POST',
    url: startUrl(job),
    body: template,
    operation: 'start execution',
    context,
    ...(signal ? { signal } : {}),
  });
  return readStartResponse(response, { ...context, operation: 'start execution' });
}

/** The execution named by a start (or a followed `Location`): body `name`, else the last segment of `id`. */
export function readStartResponse(response: ArmResponse, context: ErrorContext): StartAnswer {
  const named = executionNameOf(response.body);
  if (named !== undefined) return { kind: 'started', executionName: named };
  const location = response.headers.get('location');
  if (response.status === 202 && location) {
    const { retryAfterMs } = response;
    return { kind: 'pending', location, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  throw armMalformed(`HTTP ${response.status} without an execution name (no body name or id, no Location)`, {
    ...context,
    status: response.status,
  });
}

const EXECUTION_NAME = /^[-\w.()]{1,56}$/;

function executionNameOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { name, id } = body as { name?: unknown; id?: unknown };
  if (typeof name === 'string' && EXECUTION_NAME.test(name)) return name;
  if (typeof id === 'string') {
    const last = /\/executions\/([^/]+)$/i.exec(id)?.[1];
    if (last !== undefined && EXECUTION_NAME.test(last)) return last;
  }
  return undefined;
}

import type {
  ContainerAppsAPIClient,
  JobExecutionTemplate as SdkJobExecutionTemplate,
} from '@azure/arm-appcontainers';
import type { BuildRequest } from '../../../shared/build';
import type { ErrorContext } from '../../../shared/errors';
import type { ContainerAppsJobId } from '../../../shared/settings/load-settings';
import { armCallError, armMalformed } from './arm-errors';
import type { JobsClient } from './jobs-client';

/**
 * `POST <job id>/start` (ARM operation Jobs_Start, the SDK's `jobs.start`) with a JobExecutionTemplate: one
 * execution of the job runs `azl-rebuilder worker build` for one build request. ARM answers 200 with a
 * JobExecutionBase (`name`, `id` of the execution), or 202 with a `Location` the SDK's poller follows until
 * that 200 arrives.
 */
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

/**
 * The SDK's long-running start (its own `@azure/core-lro` poller); its result is the JobExecutionBase that
 * names the execution.
 */
export type StartPoller = ReturnType<ContainerAppsAPIClient['jobs']['start']>;

/** One start in progress: its poller (replaced when a failed poll is retried) and ARM's first answer. */
export interface StartOperation {
  poller: StartPoller;
  /** Status and body of the POST's answer, for errors about what it lacked. */
  readonly initial: { status?: number; body?: unknown };
  readonly context: ErrorContext;
}

/** Sends the start and returns once ARM has answered the POST (200: done; 202: a Location to follow). */
export async function startExecution(
  client: JobsClient,
  job: ContainerAppsJobId,
  template: JobExecutionTemplate,
  signal?: AbortSignal,
): Promise<StartOperation> {
  const context: ErrorContext = { job: job.jobName, operation: 'start execution' };
  const initial: StartOperation['initial'] = {};
  const api = await client.api();
  const poller = api.jobs.start(job.resourceGroup, job.jobName, {
    template: sdkTemplate(template),
    ...(signal ? { abortSignal: signal } : {}),
    onResponse: (response) => {
      initial.status = response.status;
      initial.body = response.parsedBody;
    },
  });
  try {
    await poller.submitted();
  } catch (error) {
    // A 200/202 the SDK cannot read as a JobExecutionBase (no body at all) fails inside its deserializer.
    if (error instanceof TypeError && initial.status !== undefined && initial.status < 300) {
      throw armMalformed(
        `HTTP ${initial.status} without an execution name (no body name or id, no Location)`,
        {
          ...context,
          status: initial.status,
        },
      );
    }
    throw armCallError(error, context, { signal, scope: client.scope });
  }
  return { poller, initial, context };
}

/**
 * Polls the start's `Location` once. A failed poll leaves the SDK's poller failed for good, so the poller is
 * restored from its state before the poll: a throttled poll can then be repeated without a second start.
 */
export async function followStart(
  client: JobsClient,
  operation: StartOperation,
  signal?: AbortSignal,
): Promise<void> {
  const saved = await operation.poller.serialize();
  const context = { ...operation.context, operation: 'follow start' };
  try {
    await operation.poller.poll(signal ? { abortSignal: signal } : {});
  } catch (error) {
    const [{ restorePoller }, api] = await Promise.all([import('@azure/arm-appcontainers'), client.api()]);
    operation.poller = restorePoller(api, saved, api.jobs.start, signal ? { abortSignal: signal } : {});
    throw armCallError(error, context, { signal, scope: client.scope });
  }
}

/** Where the start's poller polls next (the `Location` ARM named), from its serialized state. */
export async function startLocation(operation: StartOperation): Promise<string | undefined> {
  const state = JSON.parse(await operation.poller.serialize()) as {
    state?: { config?: { operationLocation?: unknown } };
  };
  const location = state.state?.config?.operationLocation;
  return typeof location === 'string' ? location : undefined;
}

/** The execution a finished start names: body `name`, else the last segment of `id`. */
export function startedExecutionName(operation: StartOperation): string {
  const named = executionNameOf(operation.poller.result);
  if (named !== undefined) return named;
  const { status, body } = operation.initial;
  const context = { ...operation.context, ...(status === undefined ? {} : { status }) };
  if (typeof body === 'string' && status !== 202) {
    throw armMalformed(`HTTP ${status ?? '?'} with a body that is not JSON: ${body.slice(0, 120)}`, context);
  }
  throw armMalformed(
    `HTTP ${status ?? '?'} without an execution name (no body name or id, no Location)`,
    context,
  );
}

/** Our template as the SDK's type (mutable arrays), field for field. */
function sdkTemplate(template: JobExecutionTemplate): SdkJobExecutionTemplate {
  return {
    containers: template.containers.map((container) => ({
      name: container.name,
      image: container.image,
      args: [...container.args],
      env: container.env.map(({ name, value }) => ({ name, value })),
      ...(container.resources === undefined ? {} : { resources: { ...container.resources } }),
    })),
  };
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

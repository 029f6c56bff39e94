import type { BuildRequest } from '../../../shared/build';
import { PipelineError } from '../../../shared/errors';
import type { ErrorContext } from '../../../shared/errors';
import { queues } from '../../../shared/messaging/entities';
import type { ContainerAppsJobBuilderSettings } from '../../../shared/settings/load-settings';
import { getExecutionStatus } from './execution-status';
import type { ExecutionStatus } from './execution-status';
import type { JobsClient } from './jobs-client';
import {
  executionTemplate,
  followStart,
  startedExecutionName,
  startExecution,
  startLocation,
} from './start-execution';
import type { JobExecutionTemplate } from './start-execution';

/**
 * Starts one Container Apps Job execution per build request and, when asked, waits for it to end. The build
 * itself (sources, render, rpmbuild, upload) runs in the execution, which reports its outcome on the
 * `build-results` queue; `waitForExecution` is for callers that also watch the execution from outside
 * (a stuck or crashed container never reports).
 *
 * Every ARM call goes through `@azure/arm-appcontainers` (jobs-client.ts). Only throttling is retried here,
 * after ARM's `Retry-After` (bounded): a 429 means the start (or the poll) was not taken. A 5xx or a lost connection may have started an execution, so it is thrown (transient) for the
 * worker's scheduled retry rather than repeated at once.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface ContainerAppsJobDispatcherOptions {
  readonly client: JobsClient;
  readonly settings: Pick<ContainerAppsJobBuilderSettings, 'job' | 'image' | 'containerName' | 'resources'>;
  /** Default `build-results`. */
  readonly resultsQueue?: string;
  /** Variables the container needs besides the request (Service Bus, storage, identity client id). */
  readonly env?: Readonly<Record<string, string>>;
  /** Retries after a 429 (default 4), each waiting Retry-After capped at `maxDelayMs` (default 60 s). */
  readonly throttle?: { readonly maxRetries?: number; readonly maxDelayMs?: number };
  /**
   * How many times a 202 start is followed through its `Location` (default 30), waiting its `Retry-After`
   * (else 1 s) before each poll.
   */
  readonly maxStartPolls?: number;
  readonly sleep?: Sleep;
  readonly now?: () => number;
}

export interface WaitOptions {
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

const FALLBACK_DELAY_MS = 1_000;

/** Ends early (without throwing) when `signal` aborts; the loops check the signal after sleeping. */
const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });

export class ContainerAppsJobDispatcher {
  readonly name = 'container-apps-job';
  private readonly options: ContainerAppsJobDispatcherOptions;
  private readonly sleep: Sleep;
  private readonly now: () => number;

  constructor(options: ContainerAppsJobDispatcherOptions) {
    this.options = options;
    this.sleep = options.sleep ?? abortableSleep;
    this.now = options.now ?? Date.now;
  }

  /** Starts the execution for `request` and returns its ARM name. */
  async dispatch(request: BuildRequest, signal?: AbortSignal): Promise<{ executionName: string }> {
    const { settings } = this.options;
    const template = executionTemplate(request, {
      image: settings.image,
      containerName: settings.containerName,
      ...(settings.resources === undefined ? {} : { resources: settings.resources }),
      resultsQueue: this.options.resultsQueue ?? queues.buildResults.name,
      ...(this.options.env === undefined ? {} : { env: this.options.env }),
    });
    return this.startWithTemplate(template, { component: request.component }, signal);
  }

  /**
   * Starts one execution of the job running `template`'s containers instead of the job's, follows ARM's 202
   * until it names the execution, and returns that name. `subject` says what the execution is for in errors
   * (`{ component }` for a package build, `{ image, version }` for an image build).
   */
  async startWithTemplate(
    template: JobExecutionTemplate,
    subject: ErrorContext,
    signal?: AbortSignal,
  ): Promise<{ executionName: string }> {
    const { client, settings } = this.options;
    const operation = await this.throttled(() => startExecution(client, settings.job, template, signal));
    const maxPolls = this.options.maxStartPolls ?? 30;
    for (let polls = 0; !operation.poller.isDone; polls += 1) {
      if (polls >= maxPolls) {
        throw PipelineError.transient(
          'arm.start-pending',
          `the start of ${settings.job.jobName} named no execution after ${polls} polls of its Location`,
          { job: settings.job.jobName, ...subject, polls },
        );
      }
      const location = await startLocation(operation);
      const retryAfterMs = location === undefined ? undefined : client.takeRetryAfter(location);
      await this.sleep(retryAfterMs ?? FALLBACK_DELAY_MS, signal);
      await this.throttled(() => followStart(client, operation, signal));
    }
    return { executionName: startedExecutionName(operation) };
  }

  /** Polls the execution until its status is final, and returns that status. */
  async waitForExecution(executionName: string, options: WaitOptions): Promise<ExecutionStatus> {
    const { client, settings } = this.options;
    const deadline = this.now() + options.timeoutMs;
    const context = { job: settings.job.jobName, executionName, timeoutMs: options.timeoutMs };
    for (;;) {
      if (options.signal?.aborted) {
        throw PipelineError.transient('arm.wait-aborted', `stopped waiting for ${executionName}`, context);
      }
      let delayMs = options.pollIntervalMs;
      try {
        const status = await getExecutionStatus(client, settings.job, executionName, options.signal);
        if (status.final) return status;
      } catch (error) {
        // A throttled or failing poll is another "not yet"; anything permanent (404, 403) ends the wait.
        if (!PipelineError.is(error) || !error.retryable) throw error;
        const retryAfterMs = error.context.retryAfterMs;
        if (typeof retryAfterMs === 'number') delayMs = Math.max(delayMs, retryAfterMs);
      }
      if (this.now() + delayMs > deadline) {
        throw PipelineError.transient(
          'arm.execution-wait-timeout',
          `execution ${executionName} of ${settings.job.jobName} did not end within ${options.timeoutMs} ms`,
          context,
        );
      }
      await this.sleep(delayMs, options.signal);
    }
  }

  private async throttled<T>(call: () => Promise<T>): Promise<T> {
    const maxRetries = this.options.throttle?.maxRetries ?? 4;
    const maxDelayMs = this.options.throttle?.maxDelayMs ?? 60_000;
    for (let retries = 0; ; retries += 1) {
      try {
        return await call();
      } catch (error) {
        if (!PipelineError.is(error, 'arm.throttled') || retries >= maxRetries) {
          if (PipelineError.is(error, 'arm.throttled')) {
            throw PipelineError.transient(
              'arm.throttled',
              `${error.message} (still throttled after ${retries} retries)`,
              { ...error.context, retries },
              error,
            );
          }
          throw error;
        }
        const retryAfterMs = error.context.retryAfterMs;
        const delayMs = typeof retryAfterMs === 'number' ? retryAfterMs : FALLBACK_DELAY_MS * 2 ** retries;
        await this.sleep(Math.min(maxDelayMs, delayMs));
      }
    }
  }
}

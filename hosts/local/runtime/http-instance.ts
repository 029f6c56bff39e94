import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PipelineError, describeError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logger';
import type { Restartable } from '../../../infra/local/keep-running';
import { keepRunning } from '../../../infra/local/keep-running';
import type { HttpInstanceData, HttpInstanceMessage } from './http-instance-protocol';
import { STOP_MESSAGE, httpInstanceMessageSchema } from './http-instance-protocol';

/**
 * The local runtime's HTTP functions on an instance of their own: a worker thread (http-instance-worker.ts)
 * with its own event loop and its own services, beside the thread that runs the Service Bus and timer
 * functions. Flex Consumption does the same in Azure: HTTP triggers scale as one group, on instances apart
 * from the app's other functions (per-function scaling), so the status API never waits behind a planning pass
 * or a publish run. Here it also means an operator's page does not queue behind thousands of messages in one
 * event loop during a mass rebuild.
 *
 * A worker that exits without being asked to is started again on the same port, after a growing delay, as
 * Azure replaces an instance (and as the runtime restarts Azurite). The worker runs the compiled
 * JavaScript beside this file.
 */
export interface RunningHttpInstance {
  /** Base URL of the HTTP functions, without `/api`. */
  readonly url: string;
  readonly port: number;
  /** How many times the instance was started again after an unexpected exit. */
  restarts(): number;
  stop(): Promise<void>;
}

export interface HttpInstanceOptions {
  readonly data: HttpInstanceData;
  readonly logger: Logger;
  /** Delay before restart attempt n (1-based): default 1 s, doubled per attempt, at most 5 s. */
  readonly restartDelayMs?: (attempt: number) => number;
  /** The worker's script; default the compiled http-instance-worker.js beside this file. */
  readonly workerScript?: string;
}

/** How long a stopping worker may take to close its server and services before it is terminated. */
const STOP_TIMEOUT_MS = 10_000;

interface StartedWorker extends Restartable {
  readonly url: string;
  readonly port: number;
}

export async function startHttpInstance(options: HttpInstanceOptions): Promise<RunningHttpInstance> {
  const { logger } = options;
  const script = options.workerScript ?? join(__dirname, 'http-instance-worker.js');
  const first = await startWorker(script, options.data, logger);
  const { url, port } = first;
  const kept = keepRunning(first, {
    start: () => startWorker(script, { ...options.data, http: { ...options.data.http, port } }, logger),
    ...(options.restartDelayMs ? { delayMs: options.restartDelayMs } : {}),
    onExit: () => logger.warn('the HTTP instance exited unexpectedly; starting it again', { port }),
    onFailedStart: (attempt, error) =>
      logger.warn('the HTTP instance did not start again; trying later', {
        attempt,
        error: describeError(error),
      }),
  });
  return { url, port, restarts: () => kept.restarts(), stop: () => kept.stop() };
}

/** Starts a worker and resolves once it serves (or rejects with the reason it could not). */
function startWorker(script: string, data: HttpInstanceData, logger: Logger): Promise<StartedWorker> {
  const worker = new Worker(script, { workerData: data });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise<StartedWorker>((resolve, reject) => {
    let settled = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    worker.on('message', (raw: unknown) => {
      const parsed = httpInstanceMessageSchema.safeParse(raw);
      if (!parsed.success) {
        logger.warn('the HTTP instance sent a message that does not fit its protocol', {
          issue: parsed.error.issues[0]?.message ?? 'unknown',
        });
        return;
      }
      const message: HttpInstanceMessage = parsed.data;
      switch (message.type) {
        case 'log':
          logger[message.level](message.message, message.fields);
          return;
        case 'ready':
          if (settled) return;
          settled = true;
          resolve({ url: message.url, port: message.port, exited, stop: () => stopWorker(worker, exited) });
          return;
        case 'failed':
          fail(
            'code' in message.error
              ? PipelineError.fromJSON(message.error)
              : instanceFailed(`the HTTP instance could not start: ${message.error.message}`),
          );
          return;
        case 'stopped':
          void worker.terminate();
          return;
      }
    });
    // An exception the worker did not catch ends the thread: logged here, restarted by the watcher.
    worker.on('error', (error) => {
      if (settled) logger.error('the HTTP instance failed', { error: describeError(error) });
      fail(instanceFailed(`the HTTP instance failed while starting: ${describeError(error)}`));
    });
    void exited.then(() => fail(instanceFailed('the HTTP instance exited before it served')));
  });
}

/** Asks the worker to close its server and services; terminates it if it has not exited in time. */
async function stopWorker(worker: Worker, exited: Promise<void>): Promise<void> {
  worker.postMessage(STOP_MESSAGE);
  const timeout = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timeout);
}

const instanceFailed = (message: string): PipelineError =>
  PipelineError.permanent('host.http-instance-failed', message);

import { describeError } from '../../shared/errors';
import { startAzurite } from './azurite';
import { keepRunning } from './keep-running';
import type { AzuriteOptions, AzuritePorts } from './azurite';

/**
 * Azurite kept running for the local pipeline, as Azure keeps its storage service running: when the process
 * exits without being asked to (it crashed, someone stopped it), it is started again on the same ports with
 * the same persistence folder, so the connection string the pipeline holds stays right. A start that fails
 * (a port still taken, Azurite not answering) is tried again after a growing delay, until `stop()`.
 */
export interface SupervisedAzurite {
  readonly connectionString: string;
  readonly ports: AzuritePorts;
  /** The pid of the Azurite process running now (0 while it is being restarted). */
  pid(): number;
  /** How many times Azurite was started again after an unexpected exit. */
  restarts(): number;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  /** Delay before restart attempt n (1-based): default 1 s, doubled per attempt, at most 5 s. */
  readonly restartDelayMs?: (attempt: number) => number;
}

export async function startSupervisedAzurite(
  options: AzuriteOptions,
  supervisor: SupervisorOptions = {},
): Promise<SupervisedAzurite> {
  const logger = options.logger;
  const first = await startAzurite(options);
  const ports: AzuritePorts = { blob: first.blobPort, queue: first.queuePort, table: first.tablePort };
  const { connectionString } = first;
  const kept = keepRunning(first, {
    start: () =>
      startAzurite({ ...options, blobPort: ports.blob, queuePort: ports.queue, tablePort: ports.table }),
    ...(supervisor.restartDelayMs ? { delayMs: supervisor.restartDelayMs } : {}),
    onExit: (ended) =>
      logger?.warn('azurite exited unexpectedly; starting it again', { pid: ended.pid, ...ports }),
    onFailedStart: (attempt, error) =>
      logger?.warn('azurite could not be started again; trying again', {
        attempt,
        error: describeError(error),
      }),
    onBack: (started, restarts) => logger?.info('azurite is back', { pid: started.pid, restarts, ...ports }),
  });

  return {
    connectionString,
    ports,
    pid: () => kept.current()?.pid ?? 0,
    restarts: () => kept.restarts(),
    stop: () => kept.stop(),
  };
}

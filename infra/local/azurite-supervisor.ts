import { setTimeout as sleep } from 'node:timers/promises';
import { describeError } from '../../shared/errors';
import { startAzurite } from './azurite';
import type { AzuriteHandle, AzuriteOptions, AzuritePorts } from './azurite';

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

const defaultRestartDelayMs = (attempt: number): number => Math.min(5_000, 1_000 * 2 ** (attempt - 1));

export async function startSupervisedAzurite(
  options: AzuriteOptions,
  supervisor: SupervisorOptions = {},
): Promise<SupervisedAzurite> {
  const logger = options.logger;
  const delayMs = supervisor.restartDelayMs ?? defaultRestartDelayMs;
  let current: AzuriteHandle | undefined = await startAzurite(options);
  const ports: AzuritePorts = { blob: current.blobPort, queue: current.queuePort, table: current.tablePort };
  const connectionString = current.connectionString;
  const stopping = new AbortController();
  let restarts = 0;

  const watch = async (): Promise<void> => {
    while (current && !stopping.signal.aborted) {
      const exitedPid = current.pid;
      await current.exited;
      if (stopping.signal.aborted) return;
      current = undefined;
      logger?.warn('azurite exited unexpectedly; starting it again', { pid: exitedPid, ...ports });
      for (let attempt = 1; !current && !stopping.signal.aborted; attempt++) {
        try {
          await sleep(delayMs(attempt), undefined, { signal: stopping.signal });
          const started = await startAzurite({
            ...options,
            blobPort: ports.blob,
            queuePort: ports.queue,
            tablePort: ports.table,
          });
          if (stopping.signal.aborted) await started.stop();
          else current = started;
        } catch (error) {
          if (stopping.signal.aborted) return;
          logger?.warn('azurite could not be started again; trying again', {
            attempt,
            error: describeError(error),
          });
        }
      }
      restarts += current ? 1 : 0;
      if (current) logger?.info('azurite is back', { pid: current.pid, restarts, ...ports });
    }
  };
  const watching = watch();

  return {
    connectionString,
    ports,
    pid: () => current?.pid ?? 0,
    restarts: () => restarts,
    stop: async () => {
      stopping.abort();
      const running = current;
      current = undefined;
      await running?.stop();
      await watching;
    },
  };
}

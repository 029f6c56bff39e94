import { setTimeout as sleep } from 'node:timers/promises';

/** Something started that can end on its own (`exited`) or be stopped. */
export interface Restartable {
  /** Resolves when it has ended, whether `stop()` ended it or not. */
  readonly exited: Promise<unknown>;
  stop(): Promise<void>;
}

export interface RestartPolicy<T extends Restartable> {
  /** Starts a new one after the running one ended unasked. */
  start(): Promise<T>;
  /** Delay before restart attempt n (1-based); default 1 s, doubled per attempt, at most 5 s. */
  readonly delayMs?: (attempt: number) => number;
  /** The running one ended unasked (before the first attempt). */
  onExit?(ended: T): void;
  /** Attempt n failed; another follows after its delay. */
  onFailedStart?(attempt: number, error: unknown): void;
  /** A new one runs; `restarts` counts them all. */
  onBack?(started: T, restarts: number): void;
}

export interface KeptRunning<T> {
  /** The one running now; undefined while it is being started again. */
  current(): T | undefined;
  /** How many times one was started again after an unexpected end. */
  restarts(): number;
  /** Stops the running one and any restart under way. */
  stop(): Promise<void>;
}

const defaultRestartDelayMs = (attempt: number): number => Math.min(5_000, 1_000 * 2 ** (attempt - 1));

/**
 * Keeps a local part running, as Azure keeps its services and instances running: when the running one ends
 * without being asked to, `policy.start` is tried again after a growing delay until it succeeds or `stop()`
 * is called. The local runtime's Azurite and its HTTP instance are kept this way.
 */
export function keepRunning<T extends Restartable>(first: T, policy: RestartPolicy<T>): KeptRunning<T> {
  const delayMs = policy.delayMs ?? defaultRestartDelayMs;
  let current: T | undefined = first;
  const stopping = new AbortController();
  let restarts = 0;

  const watch = async (): Promise<void> => {
    while (current && !stopping.signal.aborted) {
      const running: T = current;
      await running.exited;
      if (stopping.signal.aborted) return;
      current = undefined;
      policy.onExit?.(running);
      for (let attempt = 1; !current && !stopping.signal.aborted; attempt++) {
        try {
          await sleep(delayMs(attempt), undefined, { signal: stopping.signal });
          const started = await policy.start();
          if (stopping.signal.aborted) await started.stop();
          else current = started;
        } catch (error) {
          if (stopping.signal.aborted) return;
          policy.onFailedStart?.(attempt, error);
        }
      }
      if (current) {
        restarts += 1;
        policy.onBack?.(current, restarts);
      }
    }
  };
  const watching = watch();

  return {
    current: () => current,
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

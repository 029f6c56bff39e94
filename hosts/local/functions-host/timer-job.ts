import type { Timer } from '@azure/functions';
import type { TimerFunction } from '../../../functions/table';
import type { Logger } from '../../../shared/logger';
import { createInvocationContext } from './invocation-context';
import type { NcrontabSchedule } from './ncrontab';

/**
 * One timer function on the local host: a setTimeout armed for the next occurrence, re-armed each time it
 * fires. Runs of the same function never overlap: an occurrence that comes due while the previous run is still
 * going is skipped (and logged), like a singleton timer. A throwing handler is logged; the schedule goes on.
 */
export interface TimerJob {
  /** Arms the first occurrence; with `runOnStartup`, also invokes the function once right away. */
  start(): void;
  /** Cancels the pending occurrence and resolves once the running invocation (if any) has finished. */
  stop(): Promise<void>;
}

/** Node clamps longer delays to 1 ms; far-off occurrences are reached in hops of this size. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** A run starting later than this after its occurrence is reported as `isPastDue`. */
const PAST_DUE_TOLERANCE_MS = 1_000;
/** What the host reports as `scheduleStatus.last` before the first run (.NET's `default(DateTime)`). */
const NEVER = new Date('0001-01-01T00:00:00.000Z');

export function createTimerJob(
  fn: TimerFunction,
  schedule: NcrontabSchedule,
  logger: Logger,
  now: () => Date,
): TimerJob {
  const log = logger.child({ component: 'timer', functionName: fn.name });
  let timeout: NodeJS.Timeout | undefined;
  let next = now();
  let last = NEVER;
  let running: Promise<void> | undefined;
  let stopped = false;

  const arm = (after: Date): void => {
    next = schedule.next(after);
    wait();
  };
  const wait = (): void => {
    const delay = Math.min(Math.max(next.getTime() - now().getTime(), 0), MAX_DELAY_MS);
    timeout = setTimeout(fire, delay);
  };
  const fire = (): void => {
    timeout = undefined;
    if (stopped) return;
    // Early wake-up (clock skew) or an intermediate hop of a long delay: keep waiting for the same occurrence.
    if (now().getTime() < next.getTime()) return wait();
    const due = next;
    arm(due);
    invoke(due, now().getTime() - due.getTime() > PAST_DUE_TOLERANCE_MS);
  };

  const invoke = (due: Date, isPastDue: boolean): void => {
    if (running) {
      log.warn('timer occurrence skipped: the previous run is still in progress', { due: due.toISOString() });
      return;
    }
    const timer: Timer = {
      isPastDue,
      schedule: { adjustForDST: false },
      scheduleStatus: {
        last: last.toISOString(),
        next: next.toISOString(),
        lastUpdated: now().toISOString(),
      },
    };
    last = due;
    running = run(timer).finally(() => {
      running = undefined;
    });
  };
  const run = async (timer: Timer): Promise<void> => {
    const context = createInvocationContext(fn.name, logger, {});
    try {
      await fn.handler(timer, context);
    } catch (error) {
      log.error('timer function failed', { invocationId: context.invocationId, error });
    }
  };

  return {
    start() {
      arm(now());
      log.info('timer scheduled', { schedule: schedule.expression, next: next.toISOString() });
      if (fn.runOnStartup) invoke(now(), false);
    },
    async stop() {
      stopped = true;
      if (timeout) clearTimeout(timeout);
      timeout = undefined;
      await running;
    },
  };
}

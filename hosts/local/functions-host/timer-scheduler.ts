import type { TimerFunction } from '../../../functions/table';
import type { Logger } from '../../../shared/logger';
import { parseNcrontab } from './ncrontab';
import { createTimerJob } from './timer-job';

export interface TimerSchedulerOptions {
  readonly functions: readonly TimerFunction[];
  readonly logger: Logger;
  /** Wall clock used to compute occurrences; tests may shift it. Delays still run on real timers. */
  readonly now?: () => Date;
}

export interface TimerScheduler {
  /** Cancels pending occurrences and waits for running invocations. Safe to call more than once. */
  stop(): Promise<void>;
}

/**
 * Drives the table's timer functions like the Functions host: each NCRONTAB schedule is evaluated in UTC and
 * the handler gets a `Timer` and an `InvocationContext`. Every schedule is validated before any is armed, so a
 * bad one throws a PipelineError `host.invalid-schedule` (synchronously) and nothing runs.
 */
export function startTimerScheduler(options: TimerSchedulerOptions): TimerScheduler {
  const now = options.now ?? (() => new Date());
  const parsed = options.functions.map((fn) => ({ fn, schedule: parseNcrontab(fn.name, fn.schedule) }));
  const jobs = parsed.map(({ fn, schedule }) => createTimerJob(fn, schedule, options.logger, now));
  for (const job of jobs) job.start();

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      stopping ??= Promise.all(jobs.map((job) => job.stop())).then(() => undefined);
      return stopping;
    },
  };
}

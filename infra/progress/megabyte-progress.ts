import type { Progress } from '../../shared/progress';

const MB = 1_000_000;

/** A byte count shown as whole megabytes of a known size. */
export interface MegabyteProgress {
  /** `bytes` of the total are done by now (a running count, not an increment). */
  at(bytes: number): void;
  /** All of it is done: the count reaches the total. */
  complete(): void;
  /** The work ended, complete or not (call it in a `finally`). */
  finish(): void;
}

/**
 * Progress over `totalBytes` counted in whole megabytes (10^6 bytes): a bar of `12/48 MB` reads better than one
 * of bytes. `what` completes the unit (`MB of repodata read`). A size under a megabyte is one unit, reached
 * by `complete`.
 */
export function megabyteProgress(progress: Progress, totalBytes: number, what: string): MegabyteProgress {
  const total = Math.max(1, Math.ceil(totalBytes / MB));
  const task = progress.begin(total, `MB ${what}`);
  let reported = 0;
  const reach = (units: number) => {
    const capped = Math.min(total, units);
    if (capped > reported) task.advance(capped - reported);
    reported = Math.max(reported, capped);
  };
  return {
    at: (bytes) => reach(Math.floor(bytes / MB)),
    complete: () => reach(total),
    finish: () => task.finish(),
  };
}

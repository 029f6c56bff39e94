import type { Checkpoint } from './checkpoint';
import type { CatchUpSettings } from './options';
import { tileWindows } from './time-window';
import type { TimeWindow } from './time-window';

export type PlanSettings = Pick<
  CatchUpSettings,
  'lagSeconds' | 'overlapSeconds' | 'firstRunBackfillSeconds' | 'maxSpanPerRunSeconds' | 'windowSeconds'
>;

/**
 * What one run reads: `from`..`to` (inclusive seconds) in windows, oldest first. `horizon` is the newest
 * second a run may read now (now − lag); `to` stops short of it when the backlog is longer than one run may
 * cover. No windows: nothing new since the checkpoint.
 */
export interface CatchUpPlan {
  readonly firstRun: boolean;
  readonly horizon: number;
  readonly from: number;
  readonly to: number;
  readonly windows: readonly TimeWindow[];
}

/**
 * - With a checkpoint: from `through + 1 − overlap` (re-reading the overlap for late arrivals) to at most
 *   `through + maxSpanPerRun`.
 * - Without one (first run): the last `firstRunBackfill` seconds before the horizon, never all of history.
 * - When the horizon is not past the checkpoint there is nothing new: re-reading the overlap alone could not
 *   move the checkpoint, so the run does nothing.
 */
export function planCatchUp(
  checkpoint: Checkpoint | undefined,
  now: Date,
  settings: PlanSettings,
): CatchUpPlan {
  const horizon = Math.floor(now.getTime() / 1000) - settings.lagSeconds;
  const firstRun = checkpoint === undefined;
  const base = checkpoint?.through ?? horizon - settings.firstRunBackfillSeconds;
  const from = Math.max(0, firstRun ? base + 1 : base + 1 - settings.overlapSeconds);
  const to = Math.min(horizon, base + settings.maxSpanPerRunSeconds);
  if (horizon <= base || to < from) return { firstRun, horizon, from, to, windows: [] };
  return { firstRun, horizon, from, to, windows: tileWindows(from, to, settings.windowSeconds) };
}

import { describe, expect, test } from 'vitest';
import { checkpointAt, planCatchUp, resolveCatchUpOptions } from '../../../../shared/fedora/catch-up';

const settings = resolveCatchUpOptions({
  lagSeconds: 60,
  overlapSeconds: 900,
  firstRunBackfillSeconds: 6 * 3600,
  maxSpanPerRunSeconds: 6 * 3600,
  windowSeconds: 600,
});
const NOW_S = 1_763_400_000;
const now = new Date(NOW_S * 1000 + 999); // milliseconds do not count
const HORIZON = NOW_S - 60;

describe('planCatchUp', () => {
  test('first run: the last firstRunBackfill seconds up to now − lag, in windows, oldest first', () => {
    const plan = planCatchUp(undefined, now, settings);
    expect(plan).toMatchObject({
      firstRun: true,
      horizon: HORIZON,
      from: HORIZON - 6 * 3600 + 1,
      to: HORIZON,
    });
    expect(plan.windows).toHaveLength(36);
    expect(plan.windows[0]).toEqual({ from: HORIZON - 6 * 3600 + 1, to: HORIZON - 6 * 3600 + 600 });
    expect(plan.windows.at(-1)).toEqual({ from: HORIZON - 599, to: HORIZON });
  });

  test('with a checkpoint: from the overlap before it to the horizon', () => {
    const plan = planCatchUp(checkpointAt(HORIZON - 300), now, settings);
    expect(plan).toMatchObject({ firstRun: false, from: HORIZON - 300 - 899, to: HORIZON });
    expect(plan.windows).toEqual([
      { from: HORIZON - 1199, to: HORIZON - 600 },
      { from: HORIZON - 599, to: HORIZON },
    ]);
  });

  test('windows tile the range: contiguous, no gap, no overlap, inclusive ends', () => {
    const plan = planCatchUp(checkpointAt(HORIZON - 12_345), now, settings);
    for (let i = 1; i < plan.windows.length; i += 1) {
      expect(plan.windows[i]?.from).toBe((plan.windows[i - 1]?.to ?? 0) + 1);
    }
    expect(plan.windows[0]?.from).toBe(plan.from);
    expect(plan.windows.at(-1)?.to).toBe(plan.to);
  });

  test('a backlog longer than one run may cover stops at checkpoint + maxSpanPerRun', () => {
    const plan = planCatchUp(checkpointAt(HORIZON - 10 * 3600), now, settings);
    expect(plan.to).toBe(HORIZON - 4 * 3600);
    expect(plan.to).toBeLessThan(plan.horizon);
  });

  test('nothing new since the checkpoint (or a checkpoint ahead of now − lag): no windows', () => {
    expect(planCatchUp(checkpointAt(HORIZON), now, settings).windows).toEqual([]);
    expect(planCatchUp(checkpointAt(HORIZON + 30), now, settings).windows).toEqual([]);
    expect(planCatchUp(checkpointAt(HORIZON - 1), now, settings).windows).toEqual([
      { from: HORIZON - 900, to: HORIZON - 301 },
      { from: HORIZON - 300, to: HORIZON },
    ]);
  });

  test('no overlap: starts right after the checkpoint', () => {
    const plan = planCatchUp(checkpointAt(HORIZON - 100), now, { ...settings, overlapSeconds: 0 });
    expect(plan.windows).toEqual([{ from: HORIZON - 99, to: HORIZON }]);
  });
});

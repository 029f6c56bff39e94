import { describe, expect, test } from 'vitest';
import { PipelineError } from '../../../../shared/errors';
import { advanceCheckpoint, checkpointAt, resolveCatchUpOptions } from '../../../../shared/fedora/catch-up';

describe('checkpoint', () => {
  test('whole, non-negative epoch seconds', () => {
    expect(checkpointAt(1_763_388_000)).toEqual({ through: 1_763_388_000 });
    for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkpointAt(bad)).toThrow(PipelineError);
    }
  });

  test('advances to a window end, never backwards', () => {
    expect(advanceCheckpoint(undefined, 100)).toEqual({ through: 100 });
    const current = checkpointAt(200);
    expect(advanceCheckpoint(current, 150)).toBe(current);
    expect(advanceCheckpoint(current, 200)).toBe(current);
    expect(advanceCheckpoint(current, 260)).toEqual({ through: 260 });
  });
});

describe('catch-up options', () => {
  test('defaults', () => {
    expect(resolveCatchUpOptions()).toEqual({
      lagSeconds: 60,
      overlapSeconds: 900,
      firstRunBackfillSeconds: 21_600,
      maxSpanPerRunSeconds: 21_600,
      windowSeconds: 600,
      maxWindowRows: 2_000,
      rowsPerPage: 100,
      maxPassesPerWindow: 6,
      submitBatchSize: 500,
      maxRunMs: 240_000,
      topics: [],
      categories: [],
    });
  });

  test('overrides are kept', () => {
    expect(resolveCatchUpOptions({ lagSeconds: 120, overlapSeconds: 0 })).toMatchObject({
      lagSeconds: 120,
      overlapSeconds: 0,
    });
  });

  test.each([
    [{ rowsPerPage: 101 }, 'rowsPerPage'],
    [{ lagSeconds: -1 }, 'lagSeconds'],
    [{ windowSeconds: 0 }, 'windowSeconds'],
    [{ overlapSeconds: 1.5 }, 'overlapSeconds'],
    [{ maxWindowRows: 50 }, 'maxWindowRows'],
    [{ lagSecs: 60 }, ''],
  ])('refuses %j', (options, path) => {
    let error: unknown;
    try {
      resolveCatchUpOptions(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'catch-up.invalid-options', retryable: false });
    expect(String((error as PipelineError).context.issues)).toContain(path);
  });
});

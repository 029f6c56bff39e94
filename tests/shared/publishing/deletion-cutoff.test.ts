import { describe, expect, test } from 'vitest';
import { DEFAULT_DELETION_TIMING, deletionCutoff } from '../../../shared/publishing';

const timing = { quietMs: 60_000, maxDeferMs: 3_600_000 };

describe('retired files are deleted while their repository is quiet', () => {
  test('a repository whose last revision is quietMs old or older deletes everything due; a busy one only what waited maxDeferMs', () => {
    const now = 10_000_000;
    expect(deletionCutoff(now - 60_000, now, timing)).toBe(now);
    expect(deletionCutoff(0, now, timing)).toBe(now); // never published
    expect(deletionCutoff(now - 59_999, now, timing)).toBe(now - 3_600_000);
    expect(deletionCutoff(now, now, timing)).toBe(now - 3_600_000);
  });

  test('the defaults: a minute without a revision, at most an hour of waiting', () => {
    expect(DEFAULT_DELETION_TIMING).toEqual({ quietMs: 60_000, maxDeferMs: 3_600_000 });
  });
});

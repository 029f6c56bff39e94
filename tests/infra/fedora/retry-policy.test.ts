import { describe, expect, test } from 'vitest';
import { backoffDelayMs, DEFAULT_RETRY_POLICY, parseRetryAfter } from '../../../infra/fedora/retry-policy';

describe('backoff', () => {
  const policy = { attempts: 6, baseDelayMs: 1_000, maxDelayMs: 10_000 };

  test('doubles per failed attempt, between half and all of it, capped', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, () => 0))).toEqual([
      500, 1_000, 2_000, 4_000, 5_000,
    ]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelayMs(n, policy, () => 1))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
  });

  test('a Retry-After is a floor, itself capped', () => {
    expect(backoffDelayMs(1, policy, () => 0, 3_000)).toBe(3_000);
    expect(backoffDelayMs(1, policy, () => 0, 60_000)).toBe(10_000);
    expect(backoffDelayMs(3, policy, () => 1, 100)).toBe(4_000);
  });

  test('defaults: 5 tries, 1 s doubling to 30 s', () => {
    expect(DEFAULT_RETRY_POLICY).toEqual({ attempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 });
  });

  test('Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2025-11-17T14:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Mon, 17 Nov 2025 14:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Mon, 17 Nov 2025 13:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

/**
 * Exponential backoff for datagrepper requests: attempt n (1-based) failed → wait about
 * `baseDelayMs · 2^(n−1)`, capped at `maxDelayMs`, with "equal jitter" (half fixed, half random) so that
 * runs failing together do not retry in lockstep. A `Retry-After` the server sent is honoured up to the cap.
 */
export interface RetryPolicy {
  /** Tries per request, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

export function backoffDelayMs(
  failedAttempt: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  const floor = retryAfterMs === undefined ? 0 : Math.min(policy.maxDelayMs, retryAfterMs);
  return Math.round(Math.max(jittered, floor));
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Transient failures (network, lookaside, a builder that did not start) are retried through scheduled
 * messages with exponential backoff, up to `maxAttempts` tries in all; then the build is `failed`.
 */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 30_000,
  maxDelayMs: 30 * 60_000,
};

/** The delay before try `attempt + 1` after try `attempt` failed: base · 2^(attempt-1), capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

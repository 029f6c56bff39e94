/**
 * Exponential backoff, capped and jittered, used for reconnecting to the broker, for retrying the catch-up
 * callback and for holding a delivery the sink could not take before it is requeued.
 */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  readonly initialMs: number;
  /** No delay is ever longer than this. */
  readonly maxMs: number;
  /** Growth per attempt (2 doubles the delay each time). */
  readonly factor: number;
  /** Up to this fraction (0-1) of each delay is taken off at random, so many clients do not retry in lockstep. */
  readonly jitter: number;
}

/**
 * The delay before retry number `attempt` (1-based): `initialMs · factor^(attempt-1)`, capped at `maxMs`, minus a
 * random share of up to `jitter` of it. Jitter only shortens, so the cap holds. `random` is injectable for tests.
 */
export function backoffDelay(
  policy: BackoffPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, Math.floor(attempt) - 1);
  // Cap before growing further: factor^exponent overflows to Infinity for long outages, which min() handles.
  const base = Math.min(policy.maxMs, policy.initialMs * Math.pow(policy.factor, exponent));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.max(0, Math.round(base * (1 - jitter * random())));
}

/**
 * Waits `ms`, or less when `signal` aborts first. Resolves `true` when the full time passed and `false` when it
 * was cut short; never rejects, so callers can treat an abort as "stop waiting, go on".
 */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

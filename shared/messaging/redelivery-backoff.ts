/**
 * How long a Service Bus triggered invocation that failed transiently (storage or a dependency unreachable)
 * holds its message before letting it go back to the broker. The Functions host abandons a failed message at
 * once and the broker redelivers it at once, so an outage of a few tens of seconds used to spend a queue's
 * whole max delivery count (5 on `builds`) and dead-letter work that would have succeeded a minute later.
 * Waiting longer after each delivery stretches the count over minutes: with the defaults, 5 deliveries span
 * at least 65 s of waiting and 10 deliveries at least 4 minutes, on top of the SDKs' own retries.
 */
export interface RedeliveryBackoff {
  /** The wait after the first delivery failed; doubled for each delivery after it. */
  readonly baseMs: number;
  /** No wait is longer (the message lock is renewed meanwhile, but shutdown waits for it too). */
  readonly maxMs: number;
}

export const defaultRedeliveryBackoff: RedeliveryBackoff = { baseMs: 5_000, maxMs: 30_000 };

/** The wait after delivery number `deliveryCount` (1 = the first) failed transiently. */
export function redeliveryDelayMs(
  deliveryCount: number,
  policy: RedeliveryBackoff = defaultRedeliveryBackoff,
): number {
  const deliveries = Number.isFinite(deliveryCount) ? Math.max(1, Math.floor(deliveryCount)) : 1;
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, deliveries - 1));
}

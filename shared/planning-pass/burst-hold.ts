/**
 * Coalescing a burst before planning it. A planning pass plans every pending event together, so a burst of
 * events planned in one pass builds each affected component once, in waves; the same burst planned over
 * several passes plans the shared dependents again in each (a mass rebuild on a fresh pipeline: every pass
 * would ask for most of the tree). So while events are still arriving, passes wait: a pass runs once no event
 * has arrived for `quietMs`, or once the oldest pending event has waited `maxWaitMs` (a stream that never
 * pauses is still planned, in slices of at most that age).
 *
 * Arrival is when the pipeline received the event, not Fedora's sent time: a catch-up or a replay delivers
 * old events in a burst, and that burst is what must be coalesced. The per-component debounce
 * (`PlannerPolicy.debounceMs`, on sent times) is a different rule: it waits for one component's own events to
 * settle, and applies inside the pass.
 */
export interface BurstPolicy {
  /** A pass waits until no event arrived for this long; 0 switches coalescing off. */
  readonly quietMs: number;
  /** …but not once the oldest pending event arrived this long ago. */
  readonly maxWaitMs: number;
}

/** What a pass knows about the arrivals of the pending events, from two bounded look-ups. */
export interface PendingArrivals {
  /** Whether some pending event arrived at or after `at`. */
  receivedSince(at: Date): Promise<boolean>;
  /** Whether some pending event arrived before `at`. */
  receivedBefore(at: Date): Promise<boolean>;
}

export type BurstDecision =
  | { readonly kind: 'plan'; readonly why: 'off' | 'quiet' | 'waited-long-enough' }
  | { readonly kind: 'hold'; readonly why: 'arriving' };

/** Whether a pass at `now` plans the pending events or waits for the burst to end. */
export async function burstDecision(
  policy: BurstPolicy | undefined,
  arrivals: PendingArrivals,
  now: Date,
): Promise<BurstDecision> {
  if (!policy || policy.quietMs <= 0) return { kind: 'plan', why: 'off' };
  const quietSince = new Date(now.getTime() - policy.quietMs);
  if (!(await arrivals.receivedSince(quietSince))) return { kind: 'plan', why: 'quiet' };
  const waitedFrom = new Date(now.getTime() - policy.maxWaitMs);
  if (await arrivals.receivedBefore(waitedFrom)) return { kind: 'plan', why: 'waited-long-enough' };
  return { kind: 'hold', why: 'arriving' };
}

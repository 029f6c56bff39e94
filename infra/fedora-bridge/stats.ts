/**
 * What the bridge has done so far, for health endpoints, logs and tests. Counters only grow; `inFlight` and
 * `state` are the present. A snapshot is a plain object, safe to serialize.
 */
export type BridgeState = 'connecting' | 'connected' | 'waiting' | 'stopping' | 'stopped';

export interface BridgeStats {
  readonly state: BridgeState;
  /** The server-named queue of the current connection, when connected. */
  readonly queue: string | undefined;
  /** Connections that got as far as a running consumer. */
  readonly connects: number;
  readonly connectFailures: number;
  /** Connections or channels lost while consuming (not counting watchdog recycles or stop). */
  readonly connectionLosses: number;
  readonly watchdogRecycles: number;
  /** Deliveries received, and how many of them the broker flagged as redelivered. */
  readonly received: number;
  readonly redelivered: number;
  /** Acknowledged after the sink took them. */
  readonly acked: number;
  /** Given back to the broker (nack + requeue) after the sink failed. */
  readonly requeued: number;
  /** The sink took them but the channel was gone before the ack (the sink deduplicates the redelivery). */
  readonly ackLost: number;
  /** Forwarded as raw records (no id, not UTF-8, not JSON) for the sink to reject and quarantine. */
  readonly unparsed: number;
  readonly inFlight: number;
  readonly catchUpStarted: number;
  readonly catchUpSucceeded: number;
  readonly catchUpFailed: number;
  readonly lastDeliveryAt: string | undefined;
  readonly lastError: string | undefined;
}

type Counter = Exclude<keyof BridgeStats, 'state' | 'queue' | 'inFlight' | 'lastDeliveryAt' | 'lastError'>;

export class BridgeCounters {
  state: BridgeState = 'connecting';
  queue: string | undefined;
  inFlight = 0;
  lastDeliveryAt: string | undefined;
  lastError: string | undefined;
  private readonly counts: Record<Counter, number> = {
    connects: 0,
    connectFailures: 0,
    connectionLosses: 0,
    watchdogRecycles: 0,
    received: 0,
    redelivered: 0,
    acked: 0,
    requeued: 0,
    ackLost: 0,
    unparsed: 0,
    catchUpStarted: 0,
    catchUpSucceeded: 0,
    catchUpFailed: 0,
  };

  add(counter: Counter, by = 1): void {
    this.counts[counter] += by;
  }

  snapshot(): BridgeStats {
    return {
      state: this.state,
      queue: this.queue,
      ...this.counts,
      inFlight: this.inFlight,
      lastDeliveryAt: this.lastDeliveryAt,
      lastError: this.lastError,
    };
  }
}

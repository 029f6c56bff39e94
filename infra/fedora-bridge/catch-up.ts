import { describeError } from '../../shared/errors';
import type { Logger } from '../../shared/logger';
import { backoffDelay, sleepUnlessAborted } from './backoff';
import type { BackoffPolicy } from './backoff';
import type { BridgeCounters } from './stats';

/**
 * Runs the injected catch-up (`onConnected`, the datagrepper back-fill) once per established connection.
 *
 * Why on every connection: the bridge's queue is exclusive and server-named, so it exists only while the
 * connection does; whatever Fedora published while the bridge was disconnected is gone from the bus. The
 * catch-up fetches that gap from datagrepper. It starts after the consumer is running, so the live stream and
 * the back-fill overlap instead of leaving a hole; the sink deduplicates by message id.
 *
 * Runs are serialized (a reconnect never starts a second catch-up beside a running one). A failing run is
 * retried with backoff for as long as its connection lives; a run whose connection is already gone is skipped
 * (the next connection schedules its own). `signal` aborts when that connection ends or the bridge stops.
 */
export type CatchUp = (signal: AbortSignal) => Promise<void>;

export class CatchUpRunner {
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly catchUp: CatchUp,
    private readonly retry: BackoffPolicy,
    private readonly counters: BridgeCounters,
    private readonly logger: Logger,
  ) {}

  schedule(signal: AbortSignal): void {
    this.chain = this.chain.then(() => this.runUntilDone(signal));
  }

  /** Settles when every scheduled run has finished or given up. */
  idle(): Promise<void> {
    return this.chain;
  }

  private async runUntilDone(signal: AbortSignal): Promise<void> {
    for (let attempt = 1; !signal.aborted; attempt += 1) {
      this.counters.add('catchUpStarted');
      try {
        await this.catchUp(signal);
        this.counters.add('catchUpSucceeded');
        return;
      } catch (error) {
        this.counters.add('catchUpFailed');
        this.counters.lastError = `catch-up: ${describeError(error)}`;
        if (signal.aborted) return;
        const delayMs = backoffDelay(this.retry, attempt);
        this.logger.warn('catch-up failed; retrying', { attempt, delayMs, error });
        await sleepUnlessAborted(delayMs, signal);
      }
    }
  }
}

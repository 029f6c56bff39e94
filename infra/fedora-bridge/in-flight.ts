import { within } from './timeouts';

/**
 * The deliveries being worked on (submit, then ack or requeue), across connections: `stop()` waits for all of
 * them, including those of a connection that was already lost, so no submit is cut off half-way.
 */
export class InFlight {
  private readonly pending = new Set<Promise<void>>();

  get size(): number {
    return this.pending.size;
  }

  /** Tracks `work` until it settles; its failure is the worker's business (it logs), not the tracker's. */
  track(work: Promise<void>): void {
    const entry: Promise<void> = work.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(entry);
    void entry.then(() => this.pending.delete(entry));
  }

  /** Resolves `true` once everything tracked so far (and anything added meanwhile) has settled, `false` at the timeout. */
  async drain(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0 || (await within(Promise.allSettled([...this.pending]), left)) === 'timeout')
        return false;
    }
    return true;
  }
}

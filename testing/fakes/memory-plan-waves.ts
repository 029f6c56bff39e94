import type { BuildRequest } from '../../shared/build';
import type { PlanWaves, ReleaseQueue } from '../../shared/build-worker';
import { buildRequestOf } from '../../shared/planning-pass';
import type { PlanRecord } from '../../shared/planning-pass';

/** `PlanWaves` over plan records held in memory: the twin of `BlobPlanWaves` (the same `buildRequestOf`). */
export class MemoryPlanWaves implements PlanWaves {
  private readonly records = new Map<string, PlanRecord>();
  /** How many times a wave's requests were read: what releases cost. */
  reads = 0;

  add(record: PlanRecord): void {
    this.records.set(record.planId, record);
  }

  waveCount(planId: string): Promise<number | undefined> {
    const record = this.records.get(planId);
    return Promise.resolve(record?.planned.reduce((max, item) => Math.max(max, item.wave + 1), 0));
  }

  wave(planId: string, wave: number): Promise<BuildRequest[]> {
    this.reads++;
    const record = this.records.get(planId);
    const items = record?.planned.filter((item) => item.wave === wave) ?? [];
    return Promise.resolve(items.map((item) => buildRequestOf(record!, item)));
  }
}

/**
 * The `builds` queue as a FIFO, with the broker's duplicate detection on the message id (the fingerprint,
 * as the planning pass and a wave release send it): what got through waits in `queued` for a test to deliver.
 * `failNext` makes the next send throw (a worker dying between its final record and the release).
 */
export class MemoryReleaseQueue implements ReleaseQueue {
  readonly queued: BuildRequest[] = [];
  /** Every send call, with how many requests it carried. */
  readonly sends: number[] = [];
  dropped = 0;
  failNext = false;
  private readonly ids = new Set<string>();

  send(requests: readonly BuildRequest[]): Promise<void> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('broker unavailable'));
    }
    this.sends.push(requests.length);
    for (const request of requests) {
      if (this.ids.has(request.fingerprint)) {
        this.dropped++;
        continue;
      }
      this.ids.add(request.fingerprint);
      this.queued.push(request);
    }
    return Promise.resolve();
  }

  /** Takes up to `count` messages off the front of the queue. */
  take(count: number): BuildRequest[] {
    return this.queued.splice(0, count);
  }
}

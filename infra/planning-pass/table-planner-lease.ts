import { randomUUID } from 'node:crypto';
import { PipelineError } from '../../shared/errors';
import type { PlannerLease } from '../../shared/planning-pass';
import { leasesTable } from '../../shared/storage';
import type { LeaseRow } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';
import { isProcessGone, processIdentity } from '../os/process-identity';

/**
 * A lease held in one Tables row with ETag conditions: taken when absent or expired, released by deleting
 * the version this holder wrote. An instance that dies holding it blocks planning for at most `durationMs`,
 * except on its own machine: a process there (the pipeline restarted after a crash) sees that the holder's
 * process is gone and takes the lease over at once.
 * A release that fails (storage unreachable when the pass ends, typically because the pass failed for the
 * same reason) leaves the row behind; this instance remembers that version and takes it over on its next
 * acquire instead of waiting the lease out: the pass it belonged to is over, and an unchanged ETag proves
 * nobody else took the lease since.
 * A held lease is renewed while its pass runs (every third of `durationMs`, the `heartbeat`), so a pass longer
 * than the lease keeps it and no other instance starts a second pass meanwhile; a renewal that finds the row
 * changed (the lease expired and another instance took it) stops renewing and leaves the row alone.
 */
export class TablePlannerLease implements PlannerLease {
  private readonly leases: TableOf<typeof leasesTable>;
  /** ETags of leases this instance wrote and could not delete. */
  private readonly unreleased = new Set<string>();
  /** This instance's holder id, written in every lease row it takes or renews. */
  private readonly holder = randomUUID();

  constructor(
    tables: TableStore,
    private readonly options: {
      readonly name?: string;
      readonly durationMs?: number;
      readonly clock?: () => Date;
      /** Runs `tick` every `everyMs` until the returned stop is called; default: an unref'd `setInterval`. */
      readonly heartbeat?: Heartbeat;
    } = {},
  ) {
    this.leases = new CatalogueTable(tables, leasesTable);
  }

  async acquire(): Promise<{ release(): Promise<void> } | undefined> {
    await this.leases.ensure();
    const name = this.options.name ?? 'planner';
    const now = this.now();
    let etag: string;
    try {
      const current = await this.leases.get(name);
      if (current === undefined) etag = (await this.leases.insert(this.rowFrom(now))).etag;
      else if (
        Date.parse(current.row.expiresAt) > now.getTime() &&
        !this.unreleased.has(current.etag) &&
        !holderGone(current.row)
      )
        return undefined;
      else etag = (await this.leases.update(this.rowFrom(now), { etag: current.etag, mode: 'replace' })).etag;
    } catch (error) {
      if (
        PipelineError.is(error, 'storage.conflict') ||
        PipelineError.is(error, 'storage.precondition-failed')
      )
        return undefined; // another instance took it first
      throw error;
    }
    this.unreleased.clear(); // any version this instance left behind has just been replaced
    return this.held(name, etag);
  }

  /** The handle of a lease this instance holds as version `etag`: renewed until released or lost. */
  private held(name: string, etag: string): { release(): Promise<void> } {
    let current = etag;
    let lost = false;
    // Renewals and the release run one after another, so the release deletes the version last written.
    let last: Promise<void> = Promise.resolve();
    const renew = async (): Promise<void> => {
      if (lost) return;
      try {
        current = (
          await this.leases.update(this.rowFrom(this.now(), name), { etag: current, mode: 'replace' })
        ).etag;
      } catch (error) {
        if (
          PipelineError.is(error, 'storage.precondition-failed') ||
          PipelineError.is(error, 'storage.not-found')
        )
          lost = true; // expired and taken over (or deleted): not ours to renew any more
        // Any other failure (storage unreachable) is retried at the next beat, while the lease still runs.
      }
    };
    const durationMs = this.durationMs;
    const stop = (this.options.heartbeat ?? intervalHeartbeat)(
      Math.max(1, Math.floor(durationMs / 3)),
      () => {
        last = last.then(renew);
        return last;
      },
    );
    return {
      release: async () => {
        stop();
        await last;
        if (lost) return;
        try {
          await this.leases.delete(this.leases.key(name), { etag: current });
        } catch (error) {
          if (PipelineError.is(error, 'storage.precondition-failed')) return; // expired and taken over
          this.unreleased.add(current);
          throw error;
        }
      },
    };
  }

  private get durationMs(): number {
    return this.options.durationMs ?? 5 * 60_000;
  }

  private now(): Date {
    return (this.options.clock ?? (() => new Date()))();
  }

  /** The row of a lease taken or renewed at `now`, by this process, for a new holder id. */
  private rowFrom(now: Date, name = this.options.name ?? 'planner'): LeaseRow {
    const identity = processIdentity();
    return {
      name,
      holder: this.holder,
      expiresAt: new Date(now.getTime() + this.durationMs).toISOString(),
      ...(identity === undefined ? {} : { process: identity }),
    };
  }
}

/** Calls `tick` every `everyMs` until stopped; `tick`'s promise is awaited by whoever needs it, not here. */
export type Heartbeat = (everyMs: number, tick: () => Promise<void>) => () => void;

const intervalHeartbeat: Heartbeat = (everyMs, tick) => {
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
};

const holderGone = (row: LeaseRow): boolean => row.process !== undefined && isProcessGone(row.process);

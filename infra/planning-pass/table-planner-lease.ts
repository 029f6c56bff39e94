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
 */
export class TablePlannerLease implements PlannerLease {
  private readonly leases: TableOf<typeof leasesTable>;
  /** ETags of leases this instance wrote and could not delete. */
  private readonly unreleased = new Set<string>();

  constructor(
    tables: TableStore,
    private readonly options: {
      readonly name?: string;
      readonly durationMs?: number;
      readonly clock?: () => Date;
    } = {},
  ) {
    this.leases = new CatalogueTable(tables, leasesTable);
  }

  async acquire(): Promise<{ release(): Promise<void> } | undefined> {
    await this.leases.ensure();
    const name = this.options.name ?? 'planner';
    const now = (this.options.clock ?? (() => new Date()))();
    const identity = processIdentity();
    const row: LeaseRow = {
      name,
      holder: randomUUID(),
      expiresAt: new Date(now.getTime() + (this.options.durationMs ?? 5 * 60_000)).toISOString(),
      ...(identity === undefined ? {} : { process: identity }),
    };
    let etag: string;
    try {
      const current = await this.leases.get(name);
      if (current === undefined) etag = (await this.leases.insert(row)).etag;
      else if (
        Date.parse(current.row.expiresAt) > now.getTime() &&
        !this.unreleased.has(current.etag) &&
        !holderGone(current.row)
      )
        return undefined;
      else etag = (await this.leases.update(row, { etag: current.etag, mode: 'replace' })).etag;
    } catch (error) {
      if (
        PipelineError.is(error, 'storage.conflict') ||
        PipelineError.is(error, 'storage.precondition-failed')
      )
        return undefined; // another instance took it first
      throw error;
    }
    this.unreleased.clear(); // any version this instance left behind has just been replaced
    return {
      release: async () => {
        try {
          await this.leases.delete(this.leases.key(name), { etag });
        } catch (error) {
          if (PipelineError.is(error, 'storage.precondition-failed')) return; // expired and taken over
          this.unreleased.add(etag);
          throw error;
        }
      },
    };
  }
}

const holderGone = (row: LeaseRow): boolean => row.process !== undefined && isProcessGone(row.process);

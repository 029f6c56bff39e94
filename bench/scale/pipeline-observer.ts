import { CatalogueTable, TableStore } from '../../infra/storage';
import type { TableOf } from '../../infra/storage';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import type { BuildRecord } from '../../shared/build-worker/build-record';
import { finalBuildStates } from '../../shared/build/build-state';
import { buildsTable, ingestLedgerTable, pendingEventsTable, publishQueueTable } from '../../shared/storage';

/** What the observer saw of the builds table at one moment. */
export interface BuildCensus {
  readonly at: number;
  readonly total: number;
  readonly byState: Readonly<Record<string, number>>;
  /** Builds not yet in a final state. */
  readonly open: number;
}

/**
 * Reads the run's tables from outside the pipeline (the benchmark's own reads are not in the pipeline's
 * diagnostics): the builds by state while it runs, the whole records at the end, and whether any event or
 * publish request still waits. A table the pipeline has not created yet reads as empty.
 */
export class PipelineObserver {
  private readonly builds: TableOf<typeof buildsTable>;
  private readonly pendingEvents: TableOf<typeof pendingEventsTable>;
  private readonly publishQueue: TableOf<typeof publishQueueTable>;
  private readonly ledger: TableOf<typeof ingestLedgerTable>;

  constructor(endpoints: Endpoints) {
    const tables = new TableStore({ connectionString: endpoints.storageConnectionString });
    this.builds = new CatalogueTable(tables, buildsTable);
    this.pendingEvents = new CatalogueTable(tables, pendingEventsTable);
    this.publishQueue = new CatalogueTable(tables, publishQueueTable);
    this.ledger = new CatalogueTable(tables, ingestLedgerTable);
  }

  /** The builds requested since `since` (ms) by state. */
  async census(since = 0): Promise<BuildCensus> {
    const byState: Record<string, number> = {};
    let total = 0;
    for (const record of await this.records()) {
      if (Date.parse(record.requestedAt) < since) continue;
      byState[record.state] = (byState[record.state] ?? 0) + 1;
      total++;
    }
    const open = Object.entries(byState)
      .filter(([state]) => !finalBuildStates.has(state as BuildRecord['state']))
      .reduce((sum, [, n]) => sum + n, 0);
    return { at: Date.now(), total, byState, open };
  }

  /** Every build record, whole. */
  records(): Promise<BuildRecord[]> {
    return rowsOf(this.builds.all());
  }

  async pendingEventCount(): Promise<number> {
    return (await rowsOf(this.pendingEvents.all())).length;
  }

  async pendingPublishCount(): Promise<number> {
    return (
      await rowsOf(this.publishQueue.all({ filter: `${publishQueueTable.column('state')} eq 'pending'` }))
    ).length;
  }

  async ledgerCount(): Promise<number> {
    return (await rowsOf(this.ledger.all())).length;
  }
}

async function rowsOf<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  try {
    for await (const row of rows) all.push(row);
  } catch (error) {
    if ((error as { code?: string }).code === 'storage.not-found') return [];
    throw error;
  }
  return all;
}

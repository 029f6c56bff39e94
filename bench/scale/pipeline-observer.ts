import { odata } from '@azure/data-tables';
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
 *
 * What it asks every few seconds is a few columns (`$select`), not whole rows: its reads share the machine
 * and Azurite with the pipeline it measures, and whole build records (about 3 KB each) of a 9,000-build table
 * were tens of MB that Azurite serialized and this process parsed per round.
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

  /** The builds requested since `since` (ms) by state: their state column only. */
  async census(since = 0): Promise<BuildCensus> {
    const byState: Record<string, number> = {};
    let total = 0;
    const state = buildsTable.column('state');
    const rows = this.builds.columns([state], {
      filter: `${buildsTable.column('requestedAt')} ${odata`ge ${new Date(since).toISOString()}`}`,
      pageSize: 1000,
    });
    for (const row of await rowsOf(rows)) {
      const value = String(row[state]);
      byState[value] = (byState[value] ?? 0) + 1;
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

  pendingEventCount(): Promise<number> {
    return countOf(this.pendingEvents.columns(['PartitionKey'], { pageSize: 1000 }));
  }

  pendingPublishCount(): Promise<number> {
    const filter = `${publishQueueTable.column('state')} eq 'pending'`;
    return countOf(this.publishQueue.columns(['PartitionKey'], { filter, pageSize: 1000 }));
  }

  ledgerCount(): Promise<number> {
    return countOf(this.ledger.columns(['PartitionKey'], { pageSize: 1000 }));
  }
}

/** How many rows there are (their keys are read); none when the table does not exist yet. */
async function countOf(rows: AsyncIterable<unknown>): Promise<number> {
  return (await rowsOf(rows)).length;
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

import { odata } from '@azure/data-tables';
import { CatalogueTable, TableStore } from '../../infra/storage';
import type { QueryOptions, TableOf } from '../../infra/storage';
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
  private readonly tables: TableStore;
  private readonly builds: TableOf<typeof buildsTable>;

  constructor(endpoints: Endpoints) {
    const tables = new TableStore({ connectionString: endpoints.storageConnectionString });
    this.tables = tables;
    this.builds = new CatalogueTable(tables, buildsTable);
  }

  /** The builds requested since `since` (ms) by state: their state column only. */
  async census(since = 0): Promise<BuildCensus> {
    const byState: Record<string, number> = {};
    let total = 0;
    const requestedAt = buildsTable.column('requestedAt');
    const state = buildsTable.column('state');
    const rows = this.columns(buildsTable.name, {
      filter: `${requestedAt} ${odata`ge ${new Date(since).toISOString()}`}`,
      select: [state],
    });
    for await (const row of rows) {
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
    return this.count(pendingEventsTable.name);
  }

  pendingPublishCount(): Promise<number> {
    return this.count(publishQueueTable.name, {
      filter: `${publishQueueTable.column('state')} eq 'pending'`,
    });
  }

  ledgerCount(): Promise<number> {
    return this.count(ingestLedgerTable.name);
  }

  /** How many rows match, reading their keys only. */
  private async count(table: string, options: QueryOptions = {}): Promise<number> {
    let count = 0;
    for await (const _row of this.columns(table, { ...options, select: ['PartitionKey'] })) count++;
    return count;
  }

  /** The selected columns of every matching row, page after page; none when the table does not exist yet. */
  private async *columns(table: string, options: QueryOptions): AsyncGenerator<Record<string, unknown>> {
    let continuationToken: string | undefined;
    try {
      do {
        const page = await this.tables.query(table, { ...options, pageSize: 1000, continuationToken });
        for (const { entity } of page.items) yield entity;
        continuationToken = page.continuationToken;
      } while (continuationToken);
    } catch (error) {
      if ((error as { code?: string }).code === 'storage.not-found') return;
      throw error;
    }
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

import { CatalogueTable, TableStore } from '../../infra/storage';
import { buildsTable } from '../../shared/storage';
import type { Endpoints } from '../../hosts/local/runtime/endpoints-file';
import type { BuildRecord } from '../../shared/build-worker/build-record';
import { finalBuildStates } from '../../shared/build/build-state';
import type { BuildState } from '../../shared/build/build-state';

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
 * publish request still waits.
 */
export class PipelineObserver {
  private readonly tables: TableStore;

  constructor(endpoints: Endpoints) {
    this.tables = new TableStore({ connectionString: endpoints.storageConnectionString });
  }

  async census(): Promise<BuildCensus> {
    const byState: Record<string, number> = {};
    let total = 0;
    for await (const row of this.rows<{ state: string }>('builds', "state ne ''")) {
      byState[row.state] = (byState[row.state] ?? 0) + 1;
      total++;
    }
    const open = Object.entries(byState)
      .filter(([state]) => !finalBuildStates.has(state as BuildState))
      .reduce((sum, [, n]) => sum + n, 0);
    return { at: Date.now(), total, byState, open };
  }

  /** Every build record, whole. */
  async records(): Promise<BuildRecord[]> {
    const records: BuildRecord[] = [];
    for await (const row of new CatalogueTable(this.tables, buildsTable).all()) records.push(row);
    return records;
  }

  /** Rows of `table` (0 when the table does not exist yet). */
  async count(table: string, filter?: string): Promise<number> {
    let n = 0;
    for await (const _ of this.rows(table, filter)) n++;
    return n;
  }

  private async *rows<T extends object>(table: string, filter?: string): AsyncIterable<T> {
    let continuationToken: string | undefined;
    do {
      let page;
      try {
        page = await this.tables.query<T>(table, { filter, continuationToken, pageSize: 1000 });
      } catch (error) {
        if ((error as { code?: string }).code === 'storage.not-found') return;
        throw error;
      }
      for (const item of page.items) yield item.entity as T;
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }
}

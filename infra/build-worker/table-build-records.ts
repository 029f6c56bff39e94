import { isFinalBuildState } from '../../shared/build';
import type { BuildRecord, BuildRecords } from '../../shared/build-worker';
import { buildsTable } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';
import { KnownFinalBuilds } from './known-final-builds';

/**
 * Build records in Azure Tables (`builds`): partition = component, row = the fingerprint's hex digits (the
 * build id is their first 16, so it is found by a row-key range), the whole record as JSON beside the
 * columns the status API filters on. Every record it writes or reads in a final state goes into `known`
 * (`KnownFinalBuilds`), which the same instance's `TablePlanProgress` consults before reading a record.
 */
export class TableBuildRecords implements BuildRecords {
  private readonly builds: TableOf<typeof buildsTable>;

  constructor(
    tables: TableStore,
    readonly known: KnownFinalBuilds = new KnownFinalBuilds(),
  ) {
    this.builds = new CatalogueTable(tables, buildsTable);
  }

  async get(component: string, fingerprint: string): Promise<BuildRecord | undefined> {
    await this.builds.ensure();
    const record = (await this.builds.get(component, fingerprint))?.row;
    if (record) this.remember(record);
    return record;
  }

  async put(record: BuildRecord): Promise<void> {
    await this.builds.ensure();
    await this.builds.upsert(record, 'replace');
    this.remember(record);
  }

  private remember(record: BuildRecord): void {
    if (!isFinalBuildState(record.state)) return;
    const { buildId, state, error } = record;
    this.known.add(record.component, record.fingerprint, { buildId, state, ...(error ? { error } : {}) });
  }
}

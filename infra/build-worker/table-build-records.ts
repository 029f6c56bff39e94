import type { BuildRecord, BuildRecords } from '../../shared/build-worker';
import { buildsTable } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';

/**
 * Build records in Azure Tables (`builds`): partition = component, row = the fingerprint's hex digits (the
 * build id is their first 16, so it is found by a row-key range), the whole record as JSON beside the
 * columns the status API filters on.
 */
export class TableBuildRecords implements BuildRecords {
  private readonly builds: TableOf<typeof buildsTable>;

  constructor(tables: TableStore) {
    this.builds = new CatalogueTable(tables, buildsTable);
  }

  async get(component: string, fingerprint: string): Promise<BuildRecord | undefined> {
    await this.builds.ensure();
    return (await this.builds.get(component, fingerprint))?.row;
  }

  async put(record: BuildRecord): Promise<void> {
    await this.builds.ensure();
    await this.builds.upsert(record, 'replace');
  }
}

import type { BuildRecord, BuildRecords } from '../../shared/build-worker';
import type { TableStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';
import { jsonProperties, readJsonProperty } from '../../shared/storage/json-property';
import { componentKey } from '../../shared/storage/table-keys';

export const BUILDS_TABLE = 'builds';

/**
 * Build records in Azure Tables: partition = component, row = the fingerprint's hex digits (the build id is
 * their first 16, so it is found by a row-key range), the whole record as JSON beside the columns the status
 * API filters on.
 */
export class TableBuildRecords implements BuildRecords {
  private readonly ensure: () => Promise<void>;

  constructor(private readonly tables: TableStore) {
    this.ensure = ensureOnce(() => tables.ensureTable(BUILDS_TABLE));
  }

  async get(component: string, fingerprint: string): Promise<BuildRecord | undefined> {
    await this.ensure();
    const row = await this.tables.get(BUILDS_TABLE, componentKey(component), rowKeyOf(fingerprint));
    return row ? (readJsonProperty(row.entity, 'record') as BuildRecord) : undefined;
  }

  async put(record: BuildRecord): Promise<void> {
    await this.ensure();
    await this.tables.upsert(
      BUILDS_TABLE,
      {
        partitionKey: componentKey(record.component),
        rowKey: rowKeyOf(record.fingerprint),
        buildId: record.buildId,
        component: record.component,
        planId: record.planId,
        state: record.state,
        requestedAt: record.requestedAt,
        updatedAt: record.history[record.history.length - 1]?.at ?? record.requestedAt,
        ...jsonProperties('record', record),
      },
      'replace',
    );
  }
}

export const rowKeyOf = (fingerprint: string): string => fingerprint.replace(/^sha256:/, '');

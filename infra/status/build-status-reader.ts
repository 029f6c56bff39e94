import { odata } from '@azure/data-tables';
import type { BuildRecord } from '../../shared/build-worker';
import { BUILDS_TABLE } from '../build-worker/table-build-records';
import { readJsonProperty } from '../../shared/storage/json-property';
import { componentKey } from '../../shared/storage/table-keys';
import type { StoredEntity, TableStore } from '../storage';
import type { BuildFilter, BuildSummary, Page, PageRequest } from '../../shared/status/ports';
import { isMissingTable, tablePage } from './table-pages';

type BuildRow = Record<string, unknown>;

/** How many of a component's builds are read to find its newest ones (a component has few builds). */
const RECENT_SCAN_LIMIT = 1000;

/**
 * Build records from the `builds` table (written by `TableBuildRecords`): partition = component key,
 * row = fingerprint hex, so a build id `<component>@<16 hex>` is one row-key range in one partition.
 */
export class BuildStatusReader {
  constructor(private readonly tables: TableStore) {}

  list(filter: BuildFilter, page: PageRequest): Promise<Page<BuildSummary>> {
    const query = {
      ...(filter.component === undefined ? {} : { partitionKey: componentKey(filter.component) }),
      ...(filter.state === undefined ? {} : { filter: odata`state eq ${filter.state}` }),
    };
    return tablePage<BuildRow, BuildSummary>(this.tables, BUILDS_TABLE, query, page, summaryOf);
  }

  async get(buildId: string): Promise<BuildRecord | undefined> {
    const at = buildId.lastIndexOf('@');
    const component = buildId.slice(0, at);
    const prefix = buildId.slice(at + 1);
    if (at <= 0 || !/^[0-9a-f]{16}$/.test(prefix)) return undefined;
    try {
      const result = await this.tables.query<BuildRow>(BUILDS_TABLE, {
        partitionKey: componentKey(component),
        // Hex digits sort below '~', so this is every row key starting with the prefix.
        filter: odata`RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`,
        pageSize: 1,
      });
      const row = result.items[0];
      return row ? recordOf(row) : undefined;
    } catch (error) {
      if (isMissingTable(error)) return undefined;
      throw error;
    }
  }

  /** The component's newest builds by request time, newest first. */
  async recent(component: string, count: number): Promise<BuildRecord[]> {
    const records: BuildRecord[] = [];
    let token: string | undefined;
    try {
      do {
        const result = await this.tables.query<BuildRow>(BUILDS_TABLE, {
          partitionKey: componentKey(component),
          ...(token ? { continuationToken: token } : {}),
        });
        records.push(...result.items.map(recordOf));
        token = result.continuationToken;
      } while (token && records.length < RECENT_SCAN_LIMIT);
    } catch (error) {
      if (isMissingTable(error)) return [];
      throw error;
    }
    return records.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt)).slice(0, count);
  }
}

const recordOf = (row: StoredEntity<BuildRow>): BuildRecord =>
  readJsonProperty(row.entity, 'record') as BuildRecord;

export function summarizeBuild(record: BuildRecord): BuildSummary {
  return {
    buildId: record.buildId,
    component: record.component,
    fingerprint: record.fingerprint,
    planId: record.planId,
    wave: record.wave,
    state: record.state,
    requestedAt: record.requestedAt,
    attempts: record.attempts,
    updatedAt: record.history[record.history.length - 1]?.at ?? record.requestedAt,
  };
}

const summaryOf = (row: StoredEntity<BuildRow>): BuildSummary => summarizeBuild(recordOf(row));

import { odata } from '@azure/data-tables';
import type { BuildRecord } from '../../shared/build-worker';
import { buildsTable, buildUpdatedAt } from '../../shared/storage';
import { componentKey } from '../../shared/storage/table-keys';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';
import type { BuildFilter, BuildSummary, Page, PageRequest } from '../../shared/status/ports';
import { isMissingTable, tablePage } from './table-pages';

/** How many of a component's builds are read to find its newest ones (a component has few builds). */
const RECENT_SCAN_LIMIT = 1000;

/**
 * Build records from the `builds` table (written by `TableBuildRecords`): partition = component key,
 * row = fingerprint hex, so a build id `<component>@<16 hex>` is one row-key range in one partition.
 */
export class BuildStatusReader {
  private readonly builds: TableOf<typeof buildsTable>;

  constructor(tables: TableStore) {
    this.builds = new CatalogueTable(tables, buildsTable);
  }

  list(filter: BuildFilter, page: PageRequest): Promise<Page<BuildSummary>> {
    const query = {
      ...(filter.component === undefined ? {} : { partitionKey: componentKey(filter.component) }),
      ...(filter.state === undefined
        ? {}
        : { filter: `${buildsTable.column('state')} ${odata`eq ${filter.state}`}` }),
    };
    return tablePage(this.builds, query, page, summarizeBuild);
  }

  async get(buildId: string): Promise<BuildRecord | undefined> {
    const at = buildId.lastIndexOf('@');
    const component = buildId.slice(0, at);
    const prefix = buildId.slice(at + 1);
    if (at <= 0 || !/^[0-9a-f]{16}$/.test(prefix)) return undefined;
    try {
      const result = await this.builds.query({
        partitionKey: componentKey(component),
        // Hex digits sort below '~', so this is every row key starting with the prefix.
        filter: odata`RowKey ge ${prefix} and RowKey lt ${`${prefix}~`}`,
        pageSize: 1,
      });
      return result.rows[0];
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
        const result = await this.builds.query({
          partitionKey: componentKey(component),
          ...(token ? { continuationToken: token } : {}),
        });
        records.push(...result.rows);
        token = result.continuationToken;
      } while (token && records.length < RECENT_SCAN_LIMIT);
    } catch (error) {
      if (isMissingTable(error)) return [];
      throw error;
    }
    return records.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt)).slice(0, count);
  }
}

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
    updatedAt: buildUpdatedAt(record),
  };
}

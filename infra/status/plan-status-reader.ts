import { planItemsTable, plansTable } from '../../shared/storage';
import type { PlanItemRow, PlanRow } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';
import type { Page, PageRequest, PlanItemStatus, PlanStatus, PlanSummary } from '../../shared/status/ports';
import { tablePage, tableRow } from './table-pages';

/**
 * Plans as `TablePlanStore` writes them: the summary row in `plans` (written last, so a plan is listed only
 * once all its items are stored) and one `planitems` row per component, partitioned by plan id.
 */
export class PlanStatusReader {
  private readonly plans: TableOf<typeof plansTable>;
  private readonly items: TableOf<typeof planItemsTable>;

  constructor(tables: TableStore) {
    this.plans = new CatalogueTable(tables, plansTable);
    this.items = new CatalogueTable(tables, planItemsTable);
  }

  list(page: PageRequest): Promise<Page<PlanSummary>> {
    return tablePage(this.plans, { partitionKey: plansTable.partition }, page, summaryOf);
  }

  async get(planId: string, page: PageRequest): Promise<PlanStatus | undefined> {
    const summary = await tableRow(this.plans, planId);
    if (!summary) return undefined;
    const items = await tablePage(this.items, { partitionKey: planId }, page, itemOf);
    return { ...summaryOf(summary), items };
  }

  /** One component's item of a plan (why it was planned), or `undefined`. */
  async item(planId: string, component: string): Promise<PlanItemStatus | undefined> {
    const row = await tableRow(this.items, planId, component);
    return row ? itemOf(row) : undefined;
  }
}

const summaryOf = ({ modelVersion: _model, indexVersion: _index, ...summary }: PlanRow): PlanSummary =>
  summary;

const itemOf = ({ planId: _planId, ...item }: PlanItemRow): PlanItemStatus => item;

import type { Reason } from '../../shared/planner';
import { readJsonProperty } from '../../shared/storage/json-property';
import { componentKey } from '../../shared/storage/table-keys';
import { PLAN_ITEMS_TABLE, PLANS_TABLE } from '../planning-pass/table-plan-store';
import type { StoredEntity, TableStore } from '../storage';
import type { Page, PageRequest, PlanItemStatus, PlanStatus, PlanSummary } from '../../shared/status/ports';
import { tablePage, tableRow } from './table-pages';

type Row = Record<string, unknown>;

/**
 * Plans as `TablePlanStore` writes them: the summary row in `plans` (written last, so a plan is listed only
 * once all its items are stored) and one `planitems` row per component, partitioned by plan id.
 */
export class PlanStatusReader {
  constructor(private readonly tables: TableStore) {}

  list(page: PageRequest): Promise<Page<PlanSummary>> {
    return tablePage<Row, PlanSummary>(this.tables, PLANS_TABLE, { partitionKey: 'plan' }, page, (row) =>
      summaryOf(row.entity),
    );
  }

  async get(planId: string, page: PageRequest): Promise<PlanStatus | undefined> {
    const summary = await tableRow<Row>(this.tables, PLANS_TABLE, 'plan', planId);
    if (!summary) return undefined;
    const items = await tablePage<Row, PlanItemStatus>(
      this.tables,
      PLAN_ITEMS_TABLE,
      { partitionKey: planId },
      page,
      itemOf,
    );
    return { ...summaryOf(summary.entity), items };
  }

  /** One component's item of a plan (why it was planned), or `undefined`. */
  async item(planId: string, component: string): Promise<PlanItemStatus | undefined> {
    const row = await tableRow<Row>(this.tables, PLAN_ITEMS_TABLE, planId, componentKey(component));
    return row ? itemOf(row) : undefined;
  }
}

function summaryOf(e: Row): PlanSummary {
  return {
    planId: String(e['planId']),
    createdAt: String(e['createdAt']),
    messageCount: Number(e['messageCount'] ?? 0),
    plannedCount: Number(e['plannedCount'] ?? 0),
    skippedCount: Number(e['skippedCount'] ?? 0),
    cycleCount: Number(e['cycleCount'] ?? 0),
    waveCount: Number(e['waveCount'] ?? 0),
  };
}

function itemOf(row: StoredEntity<Row>): PlanItemStatus {
  const e = row.entity;
  const reasons = (readJsonProperty(e, 'reasons') ?? []) as Reason[];
  return {
    component: String(e['component']),
    wave: Number(e['wave'] ?? 0),
    priority: Number(e['priority'] ?? 0),
    fingerprint: String(e['fingerprint']),
    reasons,
    reasonCount: Number(e['reasonCount'] ?? reasons.length),
  };
}

import { z } from 'zod';
import type { PlanRecord } from '../../planning-pass/plan-record';
import type { PlanSummary } from '../../status/ports';
import { defineTable } from '../table-definition';

const PARTITION = 'plan';

/** A plan's summary (what the status API lists, the reconciler scans) and its inputs' versions. */
export interface PlanRow extends PlanSummary {
  readonly modelVersion: string;
  readonly indexVersion: string;
}

export function planRowOf(record: PlanRecord): PlanRow {
  return {
    planId: record.planId,
    createdAt: record.createdAt,
    messageCount: record.messageIds.length,
    plannedCount: record.planned.length,
    skippedCount: record.skipped.length,
    cycleCount: record.cycles.length,
    waveCount: record.planned.reduce((max, item) => Math.max(max, item.wave + 1), 0),
    modelVersion: record.modelVersion,
    indexVersion: record.indexVersion,
  };
}

const count = z.number().int().nonnegative();

export const plansTable = defineTable({
  name: 'plans',
  purpose:
    'one summary row per plan, written after its items (a listed plan is complete); the record is plans/<planId>.json',
  partitionKey: "'plan'",
  partition: PARTITION,
  rowKey: 'the plan id (`plan-<time>-<digest>`, sortable by time)',
  schema: z.object({
    planId: z.string(),
    createdAt: z.string(),
    messageCount: count,
    plannedCount: count,
    skippedCount: count,
    cycleCount: count,
    waveCount: count,
    modelVersion: z.string(),
    indexVersion: z.string(),
  }),
  key: (planId: string) => ({ partitionKey: PARTITION, rowKey: planId }),
  keyOf: (row: PlanRow) => ({ partitionKey: PARTITION, rowKey: row.planId }),
  toColumns: (row) => ({ ...row }),
  fromColumns: (columns): PlanRow => columns,
});

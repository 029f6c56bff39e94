import { z } from 'zod';
import { reasonSchema } from '../../build/build-request';
import { traceContextSchema } from '../../telemetry/trace-context';
import type { TraceContext } from '../../telemetry/trace-context';
import type { PlannedItem } from '../../planner/types';
import type { PlanItemStatus } from '../../status/ports';
import { defineTable } from '../table-definition';
import { componentKey } from '../table-keys';

/**
 * A row keeps this many of an item's reasons (an item can have hundreds of its own events); `reasonCount` says
 * how many there are (at least, when the planner kept only some: `PlannedItem.reasonCount`).
 */
export const STORED_REASONS = 200;

/** One planned component of a plan: its wave, priority, fingerprint and why it was planned. */
export interface PlanItemRow extends PlanItemStatus {
  readonly planId: string;
  /** The trace contexts of the events that caused the item (absent on rows written before they were kept). */
  readonly traces?: readonly TraceContext[];
}

export const planItemRowOf = (
  planId: string,
  item: PlannedItem,
  traces: readonly TraceContext[] = [],
): PlanItemRow => ({
  planId,
  ...(traces.length > 0 ? { traces } : {}),
  component: item.component,
  wave: item.wave,
  priority: item.priority,
  fingerprint: item.fingerprint,
  reasons: item.reasons,
  reasonCount: item.reasonCount ?? item.reasons.length,
});

export const planItemsTable = defineTable({
  name: 'planitems',
  purpose:
    'the components a plan rebuilds, one row each: the status API and the build worker wave check read them',
  partitionKey: 'the plan id',
  rowKey: 'the component name (`componentKey`: readable, forbidden characters escaped)',
  schema: z.object({
    component: z.string(),
    wave: z.number().int().nonnegative(),
    priority: z.number(),
    fingerprint: z.string(),
    reasons: z.array(reasonSchema),
    reasonCount: z.number().int().nonnegative(),
    traces: z.array(traceContextSchema).readonly().optional(),
  }),
  jsonColumns: ['reasons', 'traces'],
  key: (planId: string, component: string) => ({ partitionKey: planId, rowKey: componentKey(component) }),
  keyOf: (row: PlanItemRow) => ({ partitionKey: row.planId, rowKey: componentKey(row.component) }),
  toColumns: ({ planId: _planId, reasons, ...columns }) => ({
    ...columns,
    reasons: reasons.slice(0, STORED_REASONS),
  }),
  fromColumns: ({ traces, ...columns }, keys): PlanItemRow => ({
    planId: keys.partitionKey,
    ...columns,
    ...(traces ? { traces } : {}),
  }),
});

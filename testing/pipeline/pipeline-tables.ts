import { isFinalBuildState } from '../../shared/build';
import type { BuildRecord } from '../../shared/build-worker';
import { BUILDS_TABLE } from '../../infra/build-worker/table-build-records';
import { readJsonProperty } from '../../infra/storage/json-property';
import {
  PENDING_EVENTS_TABLE,
  PLAN_ITEMS_TABLE,
  PLANNED_EVENTS_TABLE,
  PLANS_TABLE,
} from '../../infra/planning-pass';
import { PUBLISH_QUEUE_TABLE } from '../../infra/publishing';
import type { TableStore } from '../../infra/storage';
import { isMissingTable } from '../../infra/status/table-pages';

/** What the pipeline's tables say at one moment: enough to tell whether it has settled. */
export interface PipelineTables {
  /** Message ids the planner has decided (planned or skipped), over the pipeline's life. */
  readonly decidedEvents: number;
  readonly pendingEvents: number;
  readonly plans: readonly { readonly createdAt: string; readonly plannedCount: number }[];
  readonly planItems: readonly { readonly component: string; readonly fingerprint: string }[];
  readonly builds: readonly BuildRecord[];
  readonly publishRequests: { readonly pending: number; readonly done: number };
}

export async function readPipelineTables(tables: TableStore): Promise<PipelineTables> {
  const [decided, pending, plans, items, builds, publishes] = await Promise.all(
    [
      PLANNED_EVENTS_TABLE,
      PENDING_EVENTS_TABLE,
      PLANS_TABLE,
      PLAN_ITEMS_TABLE,
      BUILDS_TABLE,
      PUBLISH_QUEUE_TABLE,
    ].map((table) => rows(tables, table)),
  );
  return {
    decidedEvents: decided!.length,
    pendingEvents: pending!.length,
    plans: plans!.map((p) => ({ createdAt: String(p.createdAt), plannedCount: Number(p.plannedCount) })),
    planItems: items!.map((i) => ({ component: String(i.component), fingerprint: String(i.fingerprint) })),
    builds: builds!.map((row) => readJsonProperty(row, 'record') as BuildRecord),
    publishRequests: {
      pending: publishes!.filter((p) => p.state === 'pending').length,
      done: publishes!.filter((p) => p.state === 'done').length,
    },
  };
}

/**
 * Settled: `expectedDecided` events decided and none pending, every planned component and fingerprint has a
 * build record in a final state, and no publish request is pending.
 */
export function isSettled(view: PipelineTables, expectedDecided: number): boolean {
  if (view.decidedEvents < expectedDecided || view.pendingEvents > 0) return false;
  const final = new Set(
    view.builds.filter((b) => isFinalBuildState(b.state)).map((b) => `${b.component} ${b.fingerprint}`),
  );
  if (!view.planItems.every((i) => final.has(`${i.component} ${i.fingerprint}`))) return false;
  return view.publishRequests.pending === 0;
}

async function rows(tables: TableStore, table: string): Promise<Record<string, unknown>[]> {
  const found: Record<string, unknown>[] = [];
  let continuationToken: string | undefined;
  try {
    do {
      const page = await tables.query(table, { continuationToken });
      found.push(...page.items.map((i) => i.entity));
      continuationToken = page.continuationToken;
    } while (continuationToken);
  } catch (error) {
    if (isMissingTable(error)) return []; // no stage has written it yet
    throw error;
  }
  return found;
}

import { isFinalBuildState } from '../../shared/build';
import type { BuildRecord } from '../../shared/build-worker';
import { CatalogueTable } from '../../infra/storage';
import type { TableStore } from '../../infra/storage';
import { isMissingTable } from '../../infra/status/table-pages';
import {
  buildsTable,
  pendingEventsTable,
  planItemsTable,
  plannedEventsTable,
  plansTable,
  publishQueueTable,
} from '../../shared/storage';
import type { TableDefinition } from '../../shared/storage';

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
  const [decided, pending, plans, items, builds, publishes] = await Promise.all([
    rows(tables, plannedEventsTable),
    rows(tables, pendingEventsTable),
    rows(tables, plansTable),
    rows(tables, planItemsTable),
    rows(tables, buildsTable),
    rows(tables, publishQueueTable),
  ]);
  return {
    decidedEvents: decided.length,
    pendingEvents: pending.length,
    plans: plans.map(({ createdAt, plannedCount }) => ({ createdAt, plannedCount })),
    planItems: items.map(({ component, fingerprint }) => ({ component, fingerprint })),
    builds,
    publishRequests: {
      pending: publishes.filter((p) => p.state === 'pending').length,
      done: publishes.filter((p) => p.state === 'done').length,
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

async function rows<Row>(
  tables: TableStore,
  entry: TableDefinition<Row, readonly unknown[]>,
): Promise<Row[]> {
  const found: Row[] = [];
  try {
    for await (const row of new CatalogueTable(tables, entry).all()) found.push(row);
  } catch (error) {
    if (isMissingTable(error)) return []; // no stage has written it yet
    throw error;
  }
  return found;
}

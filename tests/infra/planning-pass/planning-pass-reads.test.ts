import { TableClient } from '@azure/data-tables';
import type { TransactionAction } from '@azure/data-tables';
import { describe, expect, test } from 'vitest';
import {
  TablePendingEvents,
  TablePlannerLease,
  TablePlannerState,
  TablePlanStore,
} from '../../../infra/planning-pass';
import { PlanningService } from '../../../shared/planning-pass';
import { componentStateTable } from '../../../shared/storage';
import { useAzurite } from '../../../testing/azurite';
import { CountingTableStore } from '../../../testing/counting-table-store';
import { fakeDeps, model, policy, tagged } from '../../../testing/fakes/planner';
import {
  fixedDependencies,
  fixedModel,
  MemoryBuildQueue,
  MemoryPublisher,
} from '../../../testing/fakes/planning-ports';

/**
 * Issue 20: a planning pass costs O(its own work), not O(distribution). A tree of thousands of components,
 * each with a `componentstate` row; one event for one component with two direct dependents. The pass may
 * read the rows of what it touches (the lease, the pending event, its planned-id check, the three components'
 * states), never the whole table.
 */
const COMPONENTS = 3_000;
const names = Array.from({ length: COMPONENTS }, (_, i) => `c${String(i).padStart(4, '0')}`);
const nameAt = (i: number) => names[i % COMPONENTS] as string;
/** Every component has two dependents (BuildRequire edges), so the graph spans the whole tree. */
const edges = Object.fromEntries(names.map((name, i) => [name, [nameAt(i * 7 + 1), nameAt(i * 13 + 5)]]));

const azurite = useAzurite();

describe('a planning pass against a tree of thousands of components', () => {
  test('reads a bounded number of table rows for one event', async () => {
    const tableNames = new Map<string, string>();
    const tables = new CountingTableStore({ connectionString: azurite.connectionString }, (name) => {
      let own = tableNames.get(name);
      if (!own) tableNames.set(name, (own = azurite.name(`r${name}`)));
      return own;
    });
    await seedComponentStates(tables.tableName(componentStateTable.name));
    const builds = new MemoryBuildQueue();
    const planning = new PlanningService({
      pending: new TablePendingEvents(tables),
      state: new TablePlannerState(tables),
      plans: new TablePlanStore(tables, azurite.blobs),
      builds,
      events: new MemoryPublisher(),
      model: fixedModel(model(...names.map((name) => ({ name, rebuild: 'direct' as const })))),
      dependencies: fixedDependencies(fakeDeps(edges)),
      lease: new TablePlannerLease(tables),
      policy: { ...policy, debounceMs: 0 },
    });

    const event = tagged('c0042', { messageId: `${azurite.name('m')}/c0042` });
    const result = await planning.accept(event);

    expect(result.ran).toBe(true);
    const planned = (result.ran ? result.record.planned : []).map((p) => p.component).sort();
    expect(planned).toEqual(['c0042', nameAt(42 * 7 + 1), nameAt(42 * 13 + 5)].sort());
    expect(builds.sent.map((b) => b.component)).toEqual(['c0042']); // the first wave; the worker sends the next
    const states = tables.readsOf(componentStateTable.name);
    console.log('planning pass reads', {
      components: COMPONENTS,
      componentstate: states,
      allRows: tables.rowsRead(),
    });
    expect(states.rows).toBeLessThanOrEqual(planned.length);
    expect(states.queries).toBe(0);
    expect(tables.rowsRead()).toBeLessThan(20);
  });
});

/** A `componentstate` row for every component (a last successful build at some older fingerprint). */
async function seedComponentStates(table: string): Promise<void> {
  const client = TableClient.fromConnectionString(azurite.connectionString, table, {
    allowInsecureConnection: true,
  });
  await client.createTable();
  const actions: TransactionAction[] = names.map((component) => [
    'upsert',
    componentStateTable.toEntity({ component, lastSuccessfulFingerprint: `old-${component}` }),
  ]);
  for (let i = 0; i < actions.length; i += 100) await client.submitTransaction(actions.slice(i, i + 100));
}

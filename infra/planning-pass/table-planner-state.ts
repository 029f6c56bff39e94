import type { ComponentBuilds, ComponentBuildState, SuccessLedger } from '../../shared/build-worker';
import type { ComponentLock, ComponentState } from '../../shared/planner';
import type { PlannerStateStore, RequestedBuild } from '../../shared/planning-pass';
import { componentStateTable, plannedEventsTable } from '../../shared/storage';
import type { ComponentStateRow } from '../../shared/storage';
import { CatalogueTable, ignoreInvalidRow } from '../storage';
import type { InvalidRowHandler, TableOf, TableStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';

/**
 * The planner's state in Azure Tables: one `componentstate` row per component (its lock and the fingerprint
 * of its last successful build, which the build worker writes), and one `plannedevents` row per planned
 * message id. Each writer merges only its own part of a component's row.
 */
export class TablePlannerState implements PlannerStateStore, SuccessLedger, ComponentBuildState {
  private readonly ensure: () => Promise<void>;
  private readonly components: TableOf<typeof componentStateTable>;
  private readonly planned: TableOf<typeof plannedEventsTable>;

  /**
   * `skipInvalid`: a component row that does not fit is read as no state (no lock: the component is planned
   * as if new) and reported here (default: silently); the row stays for inspection.
   */
  constructor(
    tables: TableStore,
    private readonly clock: () => Date = () => new Date(),
    private readonly skipInvalid: InvalidRowHandler = ignoreInvalidRow,
  ) {
    this.components = new CatalogueTable(tables, componentStateTable);
    this.planned = new CatalogueTable(tables, plannedEventsTable);
    this.ensure = ensureOnce(async () => {
      await this.components.ensure();
      await this.planned.ensure();
    });
  }

  async plannedOf(messageIds: readonly string[]): Promise<ReadonlySet<string>> {
    await this.ensure();
    const planned = await inBatches(messageIds, async (id) =>
      (await this.planned.has(id)) ? id : undefined,
    );
    return new Set(planned.filter((id): id is string => id !== undefined));
  }

  /**
   * The named components' rows: point reads, a bounded number at a time. A plan of many components (a root
   * package's, most of the tree) is read by one scan of the partition instead, keeping only the named rows: a
   * query page holds up to 1,000 rows, so past `POINT_READS_UP_TO` the scan takes fewer requests than the
   * point reads would, and the pass is O(its own work) either way.
   */
  async statesOf(components: readonly string[]): Promise<Readonly<Record<string, ComponentState>>> {
    const states: Record<string, ComponentState> = {};
    if (components.length > POINT_READS_UP_TO) {
      await this.ensure();
      const wanted = new Set(components);
      for await (const row of this.components.allValid(
        { partitionKey: componentStateTable.partition },
        this.skipInvalid,
      ))
        if (wanted.has(row.component)) states[row.component] = stateOf(row);
      return states;
    }
    const rows = await inBatches(components, (component) => this.row(component));
    for (const row of rows) if (row) states[row.component] = stateOf(row);
    return states;
  }

  async save(
    locks: Readonly<Record<string, ComponentLock>>,
    plannedMessageIds: readonly string[],
    requested: readonly RequestedBuild[] = [],
  ): Promise<void> {
    await this.ensure();
    const lockedAt = this.clock().toISOString();
    // One merged row per component (its newest request and its lock), in batches: a pass over the whole
    // tree writes thousands of rows, which one request each would make the slowest part of the pass.
    const rows = new Map<string, ComponentStateRow>();
    for (const build of requested)
      rows.set(build.component, {
        component: build.component,
        latestFingerprint: build.fingerprint,
        latestRequestedAt: build.requestedAt,
      });
    for (const [component, lock] of Object.entries(locks))
      rows.set(component, { ...rows.get(component), component, lock, lockedAt });
    await this.components.upsertAll([...rows.values()]);
    // The first pass to plan an event records when; a re-run (after a crash) writes its own time over it.
    await this.planned.upsertAll(plannedMessageIds.map((messageId) => ({ messageId, plannedAt: lockedAt })));
  }

  /** The build worker's success ledger: `component` built successfully at `fingerprint`. */
  async record(component: string, fingerprint: string, contentDigest = ''): Promise<void> {
    await this.ensure();
    await this.components.upsert({
      component,
      lastSuccessfulFingerprint: fingerprint,
      lastContentDigest: contentDigest,
    });
  }

  async last(component: string): Promise<{ fingerprint: string; contentDigest?: string } | undefined> {
    const row = await this.row(component);
    if (!row?.lastSuccessfulFingerprint) return undefined;
    return {
      fingerprint: row.lastSuccessfulFingerprint,
      ...(row.lastContentDigest ? { contentDigest: row.lastContentDigest } : {}),
    };
  }

  /** The build worker's read: `latest` and `last` from the one row. */
  async buildsOf(component: string): Promise<ComponentBuilds> {
    const row = await this.row(component);
    return {
      ...(row?.latestFingerprint && row.latestRequestedAt
        ? { latest: { fingerprint: row.latestFingerprint, requestedAt: row.latestRequestedAt } }
        : {}),
      ...(row?.lastSuccessfulFingerprint
        ? {
            lastSuccess: {
              fingerprint: row.lastSuccessfulFingerprint,
              ...(row.lastContentDigest ? { contentDigest: row.lastContentDigest } : {}),
            },
          }
        : {}),
    };
  }

  /** The newest build the planner asked for (the build worker's supersession check). */
  async latest(component: string): Promise<{ fingerprint: string; requestedAt: string } | undefined> {
    const row = await this.row(component);
    if (!row?.latestFingerprint || !row.latestRequestedAt) return undefined;
    return { fingerprint: row.latestFingerprint, requestedAt: row.latestRequestedAt };
  }

  async component(component: string): Promise<ComponentState | undefined> {
    const row = await this.row(component);
    return row ? stateOf(row) : undefined;
  }

  private async row(component: string): Promise<ComponentStateRow | undefined> {
    await this.ensure();
    return (await this.components.getValid(this.skipInvalid, component))?.row;
  }
}

function stateOf(row: ComponentStateRow): ComponentState {
  return {
    ...(row.lock ? { lock: row.lock } : {}),
    ...(row.lastSuccessfulFingerprint ? { lastSuccessfulFingerprint: row.lastSuccessfulFingerprint } : {}),
    ...(row.latestFingerprint ? { latestRequestedFingerprint: row.latestFingerprint } : {}),
  };
}

/** More components than this are read by a scan of the partition (see `statesOf`). */
export const POINT_READS_UP_TO = 500;

/** Concurrent point reads are capped: a plan of thousands of components must not open thousands of requests. */
const READS_IN_FLIGHT = 32;

async function inBatches<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += READS_IN_FLIGHT)
    results.push(...(await Promise.all(items.slice(i, i + READS_IN_FLIGHT).map(read))));
  return results;
}

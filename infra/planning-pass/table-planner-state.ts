import { z } from 'zod';
import { PipelineError } from '../../shared/errors';
import type { LatestRequests, SuccessLedger } from '../../shared/build-worker';
import type { ComponentLock, ComponentState, PlannerState } from '../../shared/planner';
import type { PlannerStateStore, RequestedBuild } from '../../shared/planning-pass';
import type { TableStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';
import { componentKey, digestKey } from '../../shared/storage/table-keys';

export const COMPONENT_STATE_TABLE = 'componentstate';
export const PLANNED_EVENTS_TABLE = 'plannedevents';
const COMPONENTS = 'component';

const lockSchema = z.object({
  nvr: z.string().optional(),
  commit: z.string().optional(),
  messageId: z.string(),
  provides: z.array(z.string()).optional(),
});

interface ComponentRow {
  readonly component: string;
  readonly lock?: string;
  readonly lastSuccessfulFingerprint?: string;
  readonly lastContentDigest?: string;
  readonly lockedAt?: string;
  readonly latestFingerprint?: string;
  readonly latestRequestedAt?: string;
}

/**
 * The planner's state in Azure Tables: one `componentstate` row per component (its lock and the fingerprint
 * of its last successful build, which the build worker writes), and one `plannedevents` row per planned
 * message id. Locks are small (a provides list of a few hundred names at most).
 */
export class TablePlannerState implements PlannerStateStore, SuccessLedger, LatestRequests {
  private readonly ensure: () => Promise<void>;

  constructor(
    private readonly tables: TableStore,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.ensure = ensureOnce(async () => {
      await tables.ensureTable(COMPONENT_STATE_TABLE);
      await tables.ensureTable(PLANNED_EVENTS_TABLE);
    });
  }

  async load(messageIds: readonly string[]): Promise<PlannerState> {
    await this.ensure();
    const components: Record<string, ComponentState> = {};
    let continuationToken: string | undefined;
    do {
      const page = await this.tables.query<ComponentRow>(COMPONENT_STATE_TABLE, {
        partitionKey: COMPONENTS,
        continuationToken,
      });
      for (const { entity } of page.items) components[entity.component] = stateOf(entity);
      continuationToken = page.continuationToken;
    } while (continuationToken);
    const planned = await Promise.all(
      messageIds.map(async (id) =>
        (await this.tables.get(PLANNED_EVENTS_TABLE, 'planned', digestKey(id))) ? id : undefined,
      ),
    );
    return {
      components,
      plannedMessageIds: new Set(planned.filter((id): id is string => id !== undefined)),
    };
  }

  async save(
    locks: Readonly<Record<string, ComponentLock>>,
    plannedMessageIds: readonly string[],
    requested: readonly RequestedBuild[] = [],
  ): Promise<void> {
    await this.ensure();
    const lockedAt = this.clock().toISOString();
    await Promise.all(
      requested.map((build) =>
        this.tables.upsert(COMPONENT_STATE_TABLE, {
          partitionKey: COMPONENTS,
          rowKey: componentKey(build.component),
          component: build.component,
          latestFingerprint: build.fingerprint,
          latestRequestedAt: build.requestedAt,
        }),
      ),
    );
    await Promise.all(
      Object.entries(locks).map(([component, lock]) =>
        this.tables.upsert(COMPONENT_STATE_TABLE, {
          partitionKey: COMPONENTS,
          rowKey: componentKey(component),
          component,
          lock: JSON.stringify(lock),
          lockedAt,
        }),
      ),
    );
    await Promise.all(
      plannedMessageIds.map(async (messageId) => {
        try {
          await this.tables.insert(PLANNED_EVENTS_TABLE, {
            partitionKey: 'planned',
            rowKey: digestKey(messageId),
            messageId,
            plannedAt: lockedAt,
          });
        } catch (error) {
          if (!PipelineError.is(error, 'storage.conflict')) throw error;
        }
      }),
    );
  }

  /** The build worker's success ledger: `component` built successfully at `fingerprint`. */
  async record(component: string, fingerprint: string, contentDigest = ''): Promise<void> {
    await this.ensure();
    await this.tables.upsert(COMPONENT_STATE_TABLE, {
      partitionKey: COMPONENTS,
      rowKey: componentKey(component),
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

  /** The newest build the planner asked for (the build worker's supersession check). */
  async latest(component: string): Promise<{ fingerprint: string; requestedAt: string } | undefined> {
    const row = await this.row(component);
    if (!row?.latestFingerprint || !row.latestRequestedAt) return undefined;
    return { fingerprint: row.latestFingerprint, requestedAt: row.latestRequestedAt };
  }

  private async row(component: string): Promise<ComponentRow | undefined> {
    await this.ensure();
    return (await this.tables.get<ComponentRow>(COMPONENT_STATE_TABLE, COMPONENTS, componentKey(component)))
      ?.entity;
  }

  async component(component: string): Promise<ComponentState | undefined> {
    await this.ensure();
    const row = await this.tables.get<ComponentRow>(
      COMPONENT_STATE_TABLE,
      COMPONENTS,
      componentKey(component),
    );
    return row ? stateOf(row.entity) : undefined;
  }
}

function stateOf(row: ComponentRow): ComponentState {
  const lock = row.lock === undefined ? undefined : lockSchema.safeParse(JSON.parse(row.lock));
  return {
    ...(lock?.success ? { lock: lock.data } : {}),
    ...(row.lastSuccessfulFingerprint ? { lastSuccessfulFingerprint: row.lastSuccessfulFingerprint } : {}),
  };
}

import type { BuildState } from '../../shared/build';
import type { BuildRecord } from '../../shared/build-worker';
import { PipelineError } from '../../shared/errors';
import type { ComponentLock } from '../../shared/planner';
import type { PlanRecord } from '../../shared/planning-pass';
import { publishRequestSchema } from '../../shared/publishing';
import type { PlanSummary, PublishStatus, ReconcileRecords } from '../../shared/reconcile';
import { BUILDS_TABLE, TableBuildRecords } from '../build-worker/table-build-records';
import { ensureOnce } from '../storage/ensure-once';
import { readJsonProperty } from '../../shared/storage/json-property';
import { TablePlannerState } from '../planning-pass/table-planner-state';
import { PLANS_CONTAINER, PLANS_TABLE } from '../planning-pass/table-plan-store';
import { componentKey } from '../../shared/storage/table-keys';
import { PUBLISH_QUEUE_TABLE } from '../publishing/table-pending-publishes';
import type { BlobStore, TableStore } from '../storage';

/**
 * The reconciler's view of the records, read from where the other stages write them: `plans` rows and
 * `plans/<planId>.json`, `builds` (filtered on its `state` and `updatedAt` columns), the planner's
 * `componentstate` locks and the publishers' `publishqueue`.
 */
export class TableReconcileRecords implements ReconcileRecords {
  private readonly ensure: () => Promise<void>;
  private readonly builds: TableBuildRecords;
  private readonly state: TablePlannerState;

  constructor(
    private readonly tables: TableStore,
    private readonly blobs: BlobStore,
  ) {
    this.builds = new TableBuildRecords(tables);
    this.state = new TablePlannerState(tables);
    this.ensure = ensureOnce(async () => {
      await Promise.all([PLANS_TABLE, BUILDS_TABLE, PUBLISH_QUEUE_TABLE].map((t) => tables.ensureTable(t)));
    });
  }

  async plansBetween(since: Date, before: Date, limit: number): Promise<PlanSummary[]> {
    await this.ensure();
    const filter = `createdAt ge '${since.toISOString()}' and createdAt lt '${before.toISOString()}'`;
    const found: PlanSummary[] = [];
    for await (const entity of this.all(PLANS_TABLE, filter, 'plan')) {
      if (typeof entity.planId === 'string' && typeof entity.createdAt === 'string')
        found.push({ planId: entity.planId, createdAt: entity.createdAt });
    }
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  async plan(planId: string): Promise<PlanRecord | undefined> {
    const blob = await this.blobs.get(PLANS_CONTAINER, `${planId}.json`);
    if (!blob) return undefined;
    const record = JSON.parse(blob.bytes.toString('utf8')) as PlanRecord;
    if (!Array.isArray(record.planned) || typeof record.createdAt !== 'string') {
      throw PipelineError.permanent('reconcile.bad-plan', `plan ${planId} has no planned items`, {
        container: PLANS_CONTAINER,
        blob: `${planId}.json`,
      });
    }
    return record;
  }

  build(component: string, fingerprint: string): Promise<BuildRecord | undefined> {
    return this.builds.get(component, fingerprint);
  }

  async buildsIn(
    states: readonly BuildState[],
    since: Date,
    before: Date,
    limit: number,
  ): Promise<BuildRecord[]> {
    await this.ensure();
    const stateFilter = states.map((s) => `state eq '${s}'`).join(' or ');
    const filter = `(${stateFilter}) and updatedAt ge '${since.toISOString()}' and updatedAt lt '${before.toISOString()}'`;
    const found: { at: string; record: BuildRecord }[] = [];
    for await (const entity of this.all(BUILDS_TABLE, filter)) {
      const record = readJsonProperty(entity, 'record') as BuildRecord | undefined;
      if (record) found.push({ at: String(entity.updatedAt), record });
    }
    return found
      .sort((a, b) => a.at.localeCompare(b.at))
      .slice(0, limit)
      .map((f) => f.record);
  }

  async lock(component: string): Promise<ComponentLock | undefined> {
    return (await this.state.component(component))?.lock;
  }

  async publishStatus(repository: string, fingerprint: string): Promise<PublishStatus | undefined> {
    await this.ensure();
    const key = `${repository}:${fingerprint}`;
    const row = await this.tables.get(PUBLISH_QUEUE_TABLE, componentKey(repository), componentKey(key));
    if (!row) return undefined;
    const parsed = publishRequestSchema.safeParse(readJsonProperty(row.entity, 'request'));
    const state = row.entity.state === 'done' ? 'done' : 'pending';
    return parsed.success ? { state, request: parsed.data } : { state };
  }

  private async *all(table: string, filter: string, partitionKey?: string) {
    let continuationToken: string | undefined;
    do {
      const page = await this.tables.query(table, {
        filter,
        continuationToken,
        ...(partitionKey ? { partitionKey } : {}),
      });
      for (const item of page.items) yield item.entity;
      continuationToken = page.continuationToken;
    } while (continuationToken);
  }
}

import type { BuildState } from '../../shared/build';
import type { BuildRecord } from '../../shared/build-worker';
import { PipelineError } from '../../shared/errors';
import type { ComponentLock } from '../../shared/planner';
import type { PlanRecord } from '../../shared/planning-pass';
import type { PlanSummary, PublishStatus, ReconcileRecords } from '../../shared/reconcile';
import {
  buildsTable,
  buildUpdatedAt,
  plansContainer,
  plansTable,
  publishQueueTable,
} from '../../shared/storage';
import { TableBuildRecords } from '../build-worker/table-build-records';
import { ensureOnce } from '../storage/ensure-once';
import { TablePlannerState } from '../planning-pass/table-planner-state';
import { CatalogueTable, ignoreInvalidRow } from '../storage';
import type { BlobStore, InvalidRowHandler, TableOf, TableStore } from '../storage';

/**
 * The reconciler's view of the records, read from where the other stages write them: `plans` rows and
 * `plans/<planId>.json`, `builds` (filtered on its `state` and `updatedAt` columns), the planner's
 * `componentstate` locks and the publishers' `publishqueue`.
 */
export class TableReconcileRecords implements ReconcileRecords {
  private readonly ensure: () => Promise<void>;
  private readonly plans: TableOf<typeof plansTable>;
  private readonly builds: TableOf<typeof buildsTable>;
  private readonly publishes: TableOf<typeof publishQueueTable>;
  private readonly records: TableBuildRecords;
  private readonly state: TablePlannerState;

  /** `skipInvalid`: a lock or publish row that does not fit is read as absent and reported here. */
  constructor(
    tables: TableStore,
    private readonly blobs: BlobStore,
    private readonly skipInvalid: InvalidRowHandler = ignoreInvalidRow,
  ) {
    this.plans = new CatalogueTable(tables, plansTable);
    this.builds = new CatalogueTable(tables, buildsTable);
    this.publishes = new CatalogueTable(tables, publishQueueTable);
    this.records = new TableBuildRecords(tables);
    this.state = new TablePlannerState(tables, undefined, skipInvalid);
    this.ensure = ensureOnce(async () => {
      await Promise.all([this.plans.ensure(), this.builds.ensure(), this.publishes.ensure()]);
    });
  }

  async plansBetween(since: Date, before: Date, limit: number): Promise<PlanSummary[]> {
    await this.ensure();
    const createdAt = plansTable.column('createdAt');
    const filter = `${createdAt} ge '${since.toISOString()}' and ${createdAt} lt '${before.toISOString()}'`;
    const found: PlanSummary[] = [];
    for await (const plan of this.plans.all({ filter, partitionKey: plansTable.partition }))
      found.push({ planId: plan.planId, createdAt: plan.createdAt });
    return found.sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
  }

  async plan(planId: string): Promise<PlanRecord | undefined> {
    const name = plansContainer.blobName(planId);
    const blob = await this.blobs.get(plansContainer.name, name);
    if (!blob) return undefined;
    const record = JSON.parse(blob.bytes.toString('utf8')) as PlanRecord;
    if (!Array.isArray(record.planned) || typeof record.createdAt !== 'string') {
      throw PipelineError.permanent('reconcile.bad-plan', `plan ${planId} has no planned items`, {
        container: plansContainer.name,
        blob: name,
      });
    }
    return record;
  }

  build(component: string, fingerprint: string): Promise<BuildRecord | undefined> {
    return this.records.get(component, fingerprint);
  }

  async buildsIn(
    states: readonly BuildState[],
    since: Date,
    before: Date,
    limit: number,
  ): Promise<BuildRecord[]> {
    await this.ensure();
    const [state, updatedAt] = [buildsTable.column('state'), buildsTable.column('updatedAt')];
    const stateFilter = states.map((s) => `${state} eq '${s}'`).join(' or ');
    const filter = `(${stateFilter}) and ${updatedAt} ge '${since.toISOString()}' and ${updatedAt} lt '${before.toISOString()}'`;
    const found: BuildRecord[] = [];
    for await (const record of this.builds.all({ filter })) found.push(record);
    return found.sort((a, b) => buildUpdatedAt(a).localeCompare(buildUpdatedAt(b))).slice(0, limit);
  }

  async lock(component: string): Promise<ComponentLock | undefined> {
    return (await this.state.component(component))?.lock;
  }

  /** The done row first (what most succeeded builds have), then the pending one with its request, then a rejected one. */
  async publishStatus(repository: string, fingerprint: string): Promise<PublishStatus | undefined> {
    await this.ensure();
    const key = `${repository}:${fingerprint}`;
    if (await this.publishes.getValid(this.skipInvalid, repository, key, 'done')) return { state: 'done' };
    const stored = await this.publishes.getValid(this.skipInvalid, repository, key);
    if (!stored) {
      const rejected = await this.publishes.getValid(this.skipInvalid, repository, key, 'rejected');
      return rejected ? { state: 'rejected' } : undefined;
    }
    const { state, request } = stored.row;
    return request ? { state, request } : { state };
  }
}

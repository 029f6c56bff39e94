import type { BuildState } from '../build';
import type { BuildRecord } from '../build-worker';
import { buildRequestOfItem, reconcileMessageId } from './build-request-of-item';
import type { ReconcileQueues, ReconcileRecords } from './ports';

export interface ReconcileOptions {
  /** A plan item with no build record this long after its plan was created is sent again. */
  readonly planItemStaleMinutes: number;
  /** A build in a non-final state this long after its last transition is sent again. */
  readonly buildTimeLimitMinutes: number;
  /** A succeeded build whose publish is not done this long after it succeeded is published again. */
  readonly publishStaleMinutes: number;
  /** How far back plans and builds are looked at. */
  readonly lookbackHours: number;
  /** At most this many messages are sent again per run; the rest waits for the next run. */
  readonly maxItemsPerRun: number;
  /** At most this many plans are read per run (newest first). */
  readonly maxPlansPerRun: number;
}

export const defaultReconcileOptions: ReconcileOptions = {
  planItemStaleMinutes: 15,
  buildTimeLimitMinutes: 120,
  publishStaleMinutes: 15,
  lookbackHours: 7 * 24,
  maxItemsPerRun: 100,
  maxPlansPerRun: 50,
};

/** What one run found and did, for the log. */
export interface ReconcileReport {
  plansExamined: number;
  /** Plan items with no build record, sent to `builds` again. */
  planItemsRequeued: number;
  /** Items skipped because a newer plan also has their component (the newer one is what counts). */
  planItemsSuperseded: number;
  /** Builds stuck in a non-final state, sent to `builds` again. */
  stuckBuildsRequeued: number;
  /** Publish requests of succeeded builds that were not done, sent to `publish` again. */
  publishesResent: number;
  /** Work that cannot be rebuilt from the records (plan blob gone, publish request never recorded). */
  unrecoverable: number;
  /** The run stopped at `maxItemsPerRun`: more may be stale. */
  truncated: boolean;
}

const NON_FINAL: readonly BuildState[] = ['queued', 'preparing', 'building'];
const minutes = (n: number) => n * 60_000;

/**
 * Finds work whose state is stale and sends it again, so a message lost anywhere (a plan pass that died
 * between its plan and its `builds` messages, a build whose worker vanished, a publish message lost after
 * the build succeeded) delays work but never loses it. Sending again is safe: the worker rebuilds a
 * non-final record and ignores a final one; the publisher completes an already published request with no
 * new revision. Bounded per run; what is left is found by the next run.
 */
export class Reconciler {
  constructor(
    private readonly records: ReconcileRecords,
    private readonly queues: ReconcileQueues,
    private readonly options: ReconcileOptions = defaultReconcileOptions,
  ) {}

  async run(now: Date): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      plansExamined: 0,
      planItemsRequeued: 0,
      planItemsSuperseded: 0,
      stuckBuildsRequeued: 0,
      publishesResent: 0,
      unrecoverable: 0,
      truncated: false,
    };
    const budget = { left: this.options.maxItemsPerRun };
    const since = new Date(now.getTime() - this.options.lookbackHours * 3_600_000);
    await this.unbuiltPlanItems(now, since, report, budget);
    await this.stuckBuilds(now, since, report, budget);
    await this.unpublishedBuilds(now, since, report, budget);
    return report;
  }

  private async unbuiltPlanItems(now: Date, since: Date, report: ReconcileReport, budget: { left: number }) {
    const before = new Date(now.getTime() - minutes(this.options.planItemStaleMinutes));
    const plans = await this.records.plansBetween(since, before, this.options.maxPlansPerRun);
    const seen = new Set<string>();
    for (const summary of plans) {
      const plan = await this.records.plan(summary.planId);
      if (!plan) {
        report.unrecoverable += 1;
        continue;
      }
      report.plansExamined += 1;
      for (const item of plan.planned) {
        if (seen.has(item.component)) {
          report.planItemsSuperseded += 1;
          continue;
        }
        seen.add(item.component);
        if (await this.records.build(item.component, item.fingerprint)) continue;
        if (!take(budget, report)) return;
        const request = buildRequestOfItem(plan, item, await this.records.lock(item.component));
        await this.queues.resendBuild(
          request,
          reconcileMessageId(item.fingerprint, now, this.options.planItemStaleMinutes),
        );
        report.planItemsRequeued += 1;
      }
    }
  }

  private async stuckBuilds(now: Date, since: Date, report: ReconcileReport, budget: { left: number }) {
    const before = new Date(now.getTime() - minutes(this.options.buildTimeLimitMinutes));
    const stuck = await this.records.buildsIn(NON_FINAL, since, before, this.options.maxItemsPerRun);
    for (const build of stuck) {
      const plan = await this.records.plan(build.planId);
      const item = plan?.planned.find(
        (p) => p.component === build.component && p.fingerprint === build.fingerprint,
      );
      if (!plan || !item) {
        report.unrecoverable += 1;
        continue;
      }
      if (!take(budget, report)) return;
      const request = buildRequestOfItem(
        plan,
        item,
        await this.records.lock(build.component),
        Math.max(1, build.attempts),
      );
      await this.queues.resendBuild(
        request,
        reconcileMessageId(build.fingerprint, now, this.options.buildTimeLimitMinutes),
      );
      report.stuckBuildsRequeued += 1;
    }
  }

  private async unpublishedBuilds(now: Date, since: Date, report: ReconcileReport, budget: { left: number }) {
    const before = new Date(now.getTime() - minutes(this.options.publishStaleMinutes));
    const succeeded = await this.records.buildsIn(['succeeded'], since, before, this.options.maxItemsPerRun);
    for (const build of succeeded) {
      for (const repository of repositoriesOf(build)) {
        const status = await this.records.publishStatus(repository, build.fingerprint);
        if (status?.state === 'done') continue;
        if (!status?.request) {
          report.unrecoverable += 1;
          continue;
        }
        if (!take(budget, report)) return;
        const original = `${repository}:${build.fingerprint}`;
        await this.queues.resendPublish(
          status.request,
          reconcileMessageId(original, now, this.options.publishStaleMinutes),
        );
        report.publishesResent += 1;
      }
    }
  }
}

const repositoriesOf = (build: BuildRecord): readonly string[] => build.repositories ?? [];

function take(budget: { left: number }, report: ReconcileReport): boolean {
  if (budget.left <= 0) {
    report.truncated = true;
    return false;
  }
  budget.left -= 1;
  return true;
}

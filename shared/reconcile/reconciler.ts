import type { BuildState } from '../build';
import type { BuildRecord } from '../build-worker';
import { buildRequestOfItem, reconcileMessageId } from './build-request-of-item';
import { instanceCheckpoints } from './checkpoint';
import { OpenWave } from './open-wave';
import type { ReconcileCheckpoint, ReconcileCheckpoints } from './checkpoint';
import type { ReconcileQueues, ReconcileRecords } from './ports';
import { ScanBudget } from './scan-budget';
import type { ScanStop } from './scan-budget';

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
  /** Plan items are examined (one build-record read each) in pages of this many… */
  readonly itemPageSize: number;
  /** …at most this many pages per run… */
  readonly maxItemPagesPerRun: number;
  /** …and no new page once the run has taken this long; the next run continues where this one stopped. */
  readonly maxRunMs: number;
}

export const defaultReconcileOptions: ReconcileOptions = {
  planItemStaleMinutes: 15,
  buildTimeLimitMinutes: 120,
  publishStaleMinutes: 15,
  lookbackHours: 7 * 24,
  maxItemsPerRun: 100,
  maxPlansPerRun: 50,
  itemPageSize: 100,
  maxItemPagesPerRun: 20,
  maxRunMs: 60_000,
};

/** What one run found and did, for the log. */
export interface ReconcileReport {
  plansExamined: number;
  /** Plan items with no build record, sent to `builds` again. */
  planItemsRequeued: number;
  /** Items skipped because a newer plan also has their component (the newer one is what counts). */
  planItemsSuperseded: number;
  /** Items of waves after their plan's earliest unfinished one: sent when it ends, not before (not read). */
  planItemsNotSentYet: number;
  /** Builds stuck in a non-final state, sent to `builds` again. */
  stuckBuildsRequeued: number;
  /** Publish requests of succeeded builds that were not done, sent to `publish` again. */
  publishesResent: number;
  /** Work that cannot be rebuilt from the records (plan blob gone, publish request never recorded). */
  unrecoverable: number;
  /** The run stopped at `maxItemsPerRun`: more may be stale. */
  truncated: boolean;
  /** Pages of plan items examined. */
  itemPages: number;
  /** Why the scan of plan items stopped before the end (`pages`, `time`, `items`); absent when it finished. */
  stoppedBy?: ScanStop | 'items';
  /** Where this run's scan started, when it continued an earlier run (`<planId>#<index>`). */
  resumedFrom?: string;
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
    private readonly checkpoints: ReconcileCheckpoints = instanceCheckpoints(),
    /** Measures the run's time budget (a fake clock in tests). */
    private readonly clock: () => number = Date.now,
  ) {}

  async run(now: Date): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      plansExamined: 0,
      planItemsRequeued: 0,
      planItemsSuperseded: 0,
      planItemsNotSentYet: 0,
      stuckBuildsRequeued: 0,
      publishesResent: 0,
      unrecoverable: 0,
      truncated: false,
      itemPages: 0,
    };
    const budget = { left: this.options.maxItemsPerRun };
    const since = new Date(now.getTime() - this.options.lookbackHours * 3_600_000);
    const scan = new ScanBudget(
      {
        pageSize: this.options.itemPageSize,
        maxPages: this.options.maxItemPagesPerRun,
        maxRunMs: this.options.maxRunMs,
      },
      this.clock,
    );
    const checkpoint = await this.unbuiltPlanItems(now, since, report, budget, scan);
    report.itemPages = scan.pagesRead;
    await this.checkpoints.save(checkpoint);
    await this.stuckBuilds(now, since, report, budget);
    await this.unpublishedBuilds(now, since, report, budget);
    return report;
  }

  /**
   * Plan items with no build record, newest plan first, from where the last run stopped (a plan that has
   * left the window, or a new instance, starts at the newest). Returns where to start next time. Only the
   * items of a plan's earliest unfinished wave can be lost, once that wave has been due for the staleness
   * limit (`OpenWave`): the later ones are sent when it ends. A resumed
   * run does not see the newer plans' components, so an older item they supersede may be sent again; the
   * worker then records it `superseded` (its `latest` check), which is all the cost.
   */
  private async unbuiltPlanItems(
    now: Date,
    since: Date,
    report: ReconcileReport,
    budget: { left: number },
    scan: ScanBudget,
  ): Promise<ReconcileCheckpoint> {
    const before = new Date(now.getTime() - minutes(this.options.planItemStaleMinutes));
    const plans = await this.records.plansBetween(since, before, this.options.maxPlansPerRun);
    const resume = (await this.checkpoints.load()).planItems;
    const first = resume
      ? Math.max(
          0,
          plans.findIndex((p) => p.planId === resume.planId),
        )
      : 0;
    if (resume && plans[first]?.planId === resume.planId)
      report.resumedFrom = `${resume.planId}#${resume.index}`;
    const seen = new Set<string>();
    for (let p = first; p < plans.length; p++) {
      const summary = plans[p] as (typeof plans)[number];
      const plan = await this.records.plan(summary.planId);
      if (!plan) {
        report.unrecoverable += 1;
        continue;
      }
      report.plansExamined += 1;
      const resumed = report.resumedFrom !== undefined && p === first;
      const start = resumed ? (resume?.index ?? 0) : 0;
      const waves = new OpenWave(plan.createdAt, resumed ? resume?.waves : undefined);
      const stop = (index: number): ReconcileCheckpoint => ({
        planItems: { planId: plan.planId, index, waves: waves.snapshot() },
      });
      for (let index = start; index < plan.planned.length; index++) {
        const item = plan.planned[index] as (typeof plan.planned)[number];
        // Later waves are sent when the open one ends (the worker's wave release): not lost, not read.
        if (!waves.reaches(item.wave)) {
          report.planItemsNotSentYet += 1;
          continue;
        }
        if (seen.has(item.component)) {
          report.planItemsSuperseded += 1;
          continue;
        }
        if (!scan.take()) {
          report.stoppedBy = scan.stoppedBy;
          return stop(index);
        }
        seen.add(item.component);
        const build = await this.records.build(item.component, item.fingerprint);
        if (waves.see(item.wave, build, before) !== 'lost') continue;
        if (!take(budget, report)) {
          report.stoppedBy = 'items';
          return stop(index);
        }
        const request = buildRequestOfItem(plan, item, await this.records.lock(item.component));
        await this.queues.resendBuild(
          request,
          reconcileMessageId(item.fingerprint, now, this.options.planItemStaleMinutes),
        );
        report.planItemsRequeued += 1;
      }
    }
    return {};
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
        if (status?.state === 'done' || status?.state === 'rejected') continue;
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

import { isFinalBuildState } from '../../shared/build';
import { WaveCursor } from '../../shared/build-worker';
import type { BuildRecords, DependencyOutcome, PlanProgress } from '../../shared/build-worker';
import type { PlannedItem } from '../../shared/planner';

/**
 * `PlanProgress` over plans held in memory and the build records a test's worker writes: the in-memory twin
 * of `TablePlanProgress` (the same `WaveCursor`, so a simulated 7,000-item plan stays fast).
 */
export class MemoryPlanProgress implements PlanProgress {
  private readonly plans = new Map<string, { byWave: PlannedItem[][]; byName: Map<string, PlannedItem> }>();
  private readonly cursor: WaveCursor<PlannedItem>;

  constructor(private readonly records: BuildRecords) {
    this.cursor = new WaveCursor({
      itemsOf: (planId, wave) => Promise.resolve(this.plans.get(planId)?.byWave[wave] ?? []),
      isFinal: async (item) => {
        const record = await this.records.get(item.component, item.fingerprint);
        return record !== undefined && isFinalBuildState(record.state);
      },
    });
  }

  addPlan(planId: string, items: readonly PlannedItem[]): void {
    const byWave: PlannedItem[][] = [];
    for (const item of items) (byWave[item.wave] ??= []).push(item);
    this.plans.set(planId, { byWave, byName: new Map(items.map((i) => [i.component, i])) });
  }

  unfinishedBefore(planId: string, wave: number, atMost?: number): Promise<string[]> {
    return this.cursor.unfinishedBefore(planId, wave, atMost);
  }

  async outcomesOf(planId: string, components: readonly string[]): Promise<DependencyOutcome[]> {
    const plan = this.plans.get(planId);
    const outcomes: DependencyOutcome[] = [];
    for (const component of components) {
      const item = plan?.byName.get(component);
      const record = item && (await this.records.get(component, item.fingerprint));
      if (!record) continue;
      const { buildId, state, error } = record;
      outcomes.push({ component, buildId, state, ...(error ? { error } : {}) });
    }
    return outcomes;
  }
}

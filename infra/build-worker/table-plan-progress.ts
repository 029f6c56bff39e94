import { isFinalBuildState } from '../../shared/build';
import type { BuildRecords, DependencyOutcome, PlanProgress } from '../../shared/build-worker';
import { planItemsTable } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';

/**
 * Reads a plan's items (`planitems`) and their build records to tell which earlier waves are unfinished, and
 * how the components on a build's rebuild path ended. A wave whose items were all final once stays so (final
 * states do not change), so each instance remembers, per plan, the waves it has seen complete and re-reads
 * only the ones after: a wave-19 build of a 7,000-item plan does not read the 6,650 items before it again on
 * every check.
 */
export class TablePlanProgress implements PlanProgress {
  private readonly items: TableOf<typeof planItemsTable>;
  /** Per plan, the number of leading waves known complete (waves 0..n-1). */
  private readonly complete = new Map<string, number>();

  constructor(
    tables: TableStore,
    private readonly records: BuildRecords,
  ) {
    this.items = new CatalogueTable(tables, planItemsTable);
  }

  async unfinishedBefore(planId: string, wave: number): Promise<string[]> {
    const known = this.complete.get(planId) ?? 0;
    if (known >= wave) return [];
    const filter = `${planItemsTable.column('wave')} ge ${known} and ${planItemsTable.column('wave')} lt ${wave}`;
    const unfinished: { component: string; wave: number }[] = [];
    for await (const item of this.items.all({ partitionKey: planId, filter })) {
      const record = await this.records.get(item.component, item.fingerprint);
      if (!record || !isFinalBuildState(record.state)) unfinished.push(item);
    }
    const firstOpen = unfinished.reduce((min, item) => Math.min(min, item.wave), wave);
    if (firstOpen > known) this.complete.set(planId, firstOpen);
    return unfinished.map((item) => item.component).sort();
  }

  async outcomesOf(planId: string, components: readonly string[]): Promise<DependencyOutcome[]> {
    const outcomes: DependencyOutcome[] = [];
    for (const component of components) {
      const item = await this.items.get(planId, component);
      if (!item) continue;
      const record = await this.records.get(component, item.row.fingerprint);
      if (!record) continue;
      const { buildId, state, error } = record;
      outcomes.push({ component, buildId, state, ...(error ? { error } : {}) });
    }
    return outcomes;
  }
}

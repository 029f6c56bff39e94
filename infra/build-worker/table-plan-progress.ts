import { isFinalBuildState } from '../../shared/build';
import { WaveCursor } from '../../shared/build-worker';
import type { BuildRecords, DependencyOutcome, PlanProgress } from '../../shared/build-worker';
import { PipelineError } from '../../shared/errors';
import { planItemsTable } from '../../shared/storage';
import type { PlanItemRow } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';
import { KnownFinalBuilds } from './known-final-builds';

/**
 * Reads a plan's items (`planitems`, one wave at a time) and their build records to tell whether earlier
 * waves are unfinished (`WaveCursor`: each instance resumes at the plan's earliest unfinished item), and how
 * the components on a build's rebuild path ended (point reads). A build in `known` (this instance wrote or
 * read it final: pass the `TableBuildRecords`' own) is final, and its outcome known, without a read.
 */
export class TablePlanProgress implements PlanProgress {
  private readonly items: TableOf<typeof planItemsTable>;
  private readonly cursor: WaveCursor<PlanItemRow>;

  constructor(
    tables: TableStore,
    private readonly records: BuildRecords,
    private readonly known: KnownFinalBuilds = new KnownFinalBuilds(),
  ) {
    this.items = new CatalogueTable(tables, planItemsTable);
    this.cursor = new WaveCursor({
      itemsOf: async (planId, wave) => {
        const rows: PlanItemRow[] = [];
        const filter = `${planItemsTable.column('wave')} eq ${wave}`;
        try {
          for await (const row of this.items.all({ partitionKey: planId, filter })) rows.push(row);
        } catch (error) {
          // No plan was ever written here (a cloud execution's own storage, a fresh account): no items.
          if (PipelineError.is(error) && error.code === 'storage.not-found') return [];
          throw error;
        }
        return rows;
      },
      isFinal: async (item) => {
        if (known.has(item.component, item.fingerprint)) return true;
        const record = await this.records.get(item.component, item.fingerprint);
        const final = record !== undefined && isFinalBuildState(record.state);
        if (final) known.add(item.component, item.fingerprint);
        return final;
      },
    });
  }

  unfinishedBefore(planId: string, wave: number, atMost?: number): Promise<string[]> {
    return this.cursor.unfinishedBefore(planId, wave, atMost);
  }

  async outcomesOf(planId: string, components: readonly string[]): Promise<DependencyOutcome[]> {
    const outcomes: DependencyOutcome[] = [];
    for (const component of components) {
      const item = await this.items.get(planId, component);
      if (!item) continue;
      const { fingerprint } = item.row;
      const record =
        this.known.outcomeOf(component, fingerprint) ?? (await this.records.get(component, fingerprint));
      if (!record) continue;
      const { buildId, state, error } = record;
      outcomes.push({ component, buildId, state, ...(error ? { error } : {}) });
    }
    return outcomes;
  }
}

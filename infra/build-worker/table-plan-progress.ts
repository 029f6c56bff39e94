import { isFinalBuildState } from '../../shared/build';
import type { BuildRecords, PlanProgress } from '../../shared/build-worker';
import { planItemsTable } from '../../shared/storage';
import type { PlanItemRow } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';

/** Reads a plan's items (`planitems`) and their build records to tell which earlier waves are unfinished. */
export class TablePlanProgress implements PlanProgress {
  private readonly items: TableOf<typeof planItemsTable>;

  constructor(
    tables: TableStore,
    private readonly records: BuildRecords,
  ) {
    this.items = new CatalogueTable(tables, planItemsTable);
  }

  async unfinishedBefore(planId: string, wave: number): Promise<string[]> {
    const earlier: PlanItemRow[] = [];
    for await (const item of this.items.all({ partitionKey: planId }))
      if (item.wave < wave) earlier.push(item);
    const unfinished: string[] = [];
    for (const item of earlier) {
      const record = await this.records.get(item.component, item.fingerprint);
      if (!record || !isFinalBuildState(record.state)) unfinished.push(item.component);
    }
    return unfinished.sort();
  }
}

import { isFinalBuildState } from '../../shared/build';
import type { BuildRecords, PlanProgress } from '../../shared/build-worker';
import { PLAN_ITEMS_TABLE } from '../planning-pass';
import type { TableStore } from '../storage';

interface PlanItemRow {
  readonly component: string;
  readonly wave: number;
  readonly fingerprint: string;
}

/** Reads a plan's items (`planitems`) and their build records to tell which earlier waves are unfinished. */
export class TablePlanProgress implements PlanProgress {
  constructor(
    private readonly tables: TableStore,
    private readonly records: BuildRecords,
  ) {}

  async unfinishedBefore(planId: string, wave: number): Promise<string[]> {
    const earlier: PlanItemRow[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await this.tables.query<PlanItemRow>(PLAN_ITEMS_TABLE, {
        partitionKey: planId,
        continuationToken,
      });
      for (const { entity } of page.items) if (entity.wave < wave) earlier.push(entity);
      continuationToken = page.continuationToken;
    } while (continuationToken);
    const unfinished: string[] = [];
    for (const item of earlier) {
      const record = await this.records.get(item.component, item.fingerprint);
      if (!record || !isFinalBuildState(record.state)) unfinished.push(item.component);
    }
    return unfinished.sort();
  }
}

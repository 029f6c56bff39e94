import type { PlanRecord, PlanStore } from '../../shared/planning-pass';
import { planItemRowOf, planItemsTable, planRowOf, plansContainer, plansTable } from '../../shared/storage';
import { CatalogueTable, ensureCatalogueContainer } from '../storage';
import type { BlobStore, TableOf, TableStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';

/**
 * Plans in Azure Tables (a summary row per plan in `plans`, one row per planned component in `planitems`,
 * partitioned by plan id) with the whole record, skips and cycles included, as `plans/<planId>.json` in Blob
 * Storage. Rewriting a plan with the same id writes the same rows again.
 */
export class TablePlanStore implements PlanStore {
  private readonly ensure: () => Promise<void>;
  private readonly plans: TableOf<typeof plansTable>;
  private readonly items: TableOf<typeof planItemsTable>;

  constructor(
    tables: TableStore,
    private readonly blobs: BlobStore,
  ) {
    this.plans = new CatalogueTable(tables, plansTable);
    this.items = new CatalogueTable(tables, planItemsTable);
    this.ensure = ensureOnce(async () => {
      await this.plans.ensure();
      await this.items.ensure();
      await ensureCatalogueContainer(blobs, plansContainer);
    });
  }

  async save(record: PlanRecord): Promise<void> {
    await this.ensure();
    await this.blobs.put(
      plansContainer.name,
      plansContainer.blobName(record.planId),
      JSON.stringify(record),
      {
        contentType: 'application/json',
      },
    );
    // One partition per plan: its items go in batches of entity group transactions.
    await this.items.upsertAll(
      record.planned.map((item) => planItemRowOf(record.planId, item, record.traces?.[item.component])),
      'replace',
    );
    await this.plans.upsert(planRowOf(record), 'replace');
  }
}

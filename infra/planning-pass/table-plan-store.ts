import type { PlanRecord, PlanStore } from '../../shared/planning-pass';
import type { BlobStore, TableStore } from '../storage';
import { ensureOnce } from '../storage/ensure-once';
import { jsonProperties } from '../../shared/storage/json-property';
import { componentKey } from '../../shared/storage/table-keys';

export const PLANS_TABLE = 'plans';
export const PLAN_ITEMS_TABLE = 'planitems';
export const PLANS_CONTAINER = 'plans';

/**
 * Plans in Azure Tables (a summary row per plan in `plans`, one row per planned component in `planitems`,
 * partitioned by plan id) with the whole record, skips and cycles included, as `plans/<planId>.json` in Blob
 * Storage. Rewriting a plan with the same id writes the same rows again.
 */
export class TablePlanStore implements PlanStore {
  private readonly ensure: () => Promise<void>;

  constructor(
    private readonly tables: TableStore,
    private readonly blobs: BlobStore,
  ) {
    this.ensure = ensureOnce(async () => {
      await tables.ensureTable(PLANS_TABLE);
      await tables.ensureTable(PLAN_ITEMS_TABLE);
      await blobs.ensureContainer(PLANS_CONTAINER);
    });
  }

  async save(record: PlanRecord): Promise<void> {
    await this.ensure();
    await this.blobs.put(PLANS_CONTAINER, `${record.planId}.json`, JSON.stringify(record), {
      contentType: 'application/json',
    });
    for (let i = 0; i < record.planned.length; i += 32) {
      await Promise.all(
        record.planned.slice(i, i + 32).map((item) =>
          this.tables.upsert(
            PLAN_ITEMS_TABLE,
            {
              partitionKey: record.planId,
              rowKey: componentKey(item.component),
              component: item.component,
              wave: item.wave,
              priority: item.priority,
              fingerprint: item.fingerprint,
              ...jsonProperties('reasons', item.reasons.slice(0, 200)),
              reasonCount: item.reasons.length,
            },
            'replace',
          ),
        ),
      );
    }
    await this.tables.upsert(
      PLANS_TABLE,
      {
        partitionKey: 'plan',
        rowKey: record.planId,
        planId: record.planId,
        createdAt: record.createdAt,
        messageCount: record.messageIds.length,
        plannedCount: record.planned.length,
        skippedCount: record.skipped.length,
        cycleCount: record.cycles.length,
        waveCount: record.planned.reduce((max, item) => Math.max(max, item.wave + 1), 0),
        modelVersion: record.modelVersion,
        indexVersion: record.indexVersion,
      },
      'replace',
    );
  }
}

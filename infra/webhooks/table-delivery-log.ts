import { webhookAttemptsTable, webhookDeliveriesTable } from '../../shared/storage';
import type {
  AttemptPage,
  AttemptRecord,
  DeliveryLog,
  DeliveryRecord,
  DeliveryStatus,
} from '../../shared/webhooks/delivery';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';

/**
 * The webhook delivery log in Tables: `webhookdeliveries` (one row per delivery, with its event) and
 * `webhookattempts` (one row per attempt, newest first), both partitioned by endpoint.
 */
export class TableDeliveryLog implements DeliveryLog {
  private readonly deliveries: TableOf<typeof webhookDeliveriesTable>;
  private readonly attemptRows: TableOf<typeof webhookAttemptsTable>;

  /** `names`: a test's own copies of the tables. */
  constructor(tables: TableStore, names: { deliveries?: string; attempts?: string } = {}) {
    this.deliveries = new CatalogueTable(tables, webhookDeliveriesTable, names.deliveries);
    this.attemptRows = new CatalogueTable(tables, webhookAttemptsTable, names.attempts);
  }

  async saveDelivery(record: DeliveryRecord): Promise<void> {
    await this.deliveries.ensure();
    // Replace, so a field the new state does not have (nextAttemptAt after the last try) is dropped.
    await this.deliveries.upsert(record, 'replace');
  }

  async getDelivery(endpointId: string, deliveryId: string): Promise<DeliveryRecord | undefined> {
    await this.deliveries.ensure();
    return (await this.deliveries.get(endpointId, deliveryId))?.row;
  }

  async deliveriesSince(
    endpointId: string,
    since: Date,
    statuses: readonly DeliveryStatus[],
  ): Promise<DeliveryRecord[]> {
    await this.deliveries.ensure();
    const status = this.deliveries.entry.column('status');
    const updatedAt = this.deliveries.entry.column('updatedAt');
    // Statuses come from a closed list, and the time is an ISO string: neither holds a quote.
    const anyStatus = statuses.map((value) => `${status} eq '${value}'`);
    const filter = `${updatedAt} ge '${since.toISOString()}' and (${anyStatus.join(' or ')})`;
    const found: DeliveryRecord[] = [];
    for await (const row of this.deliveries.all({ partitionKey: endpointId, filter })) found.push(row);
    return found;
  }

  async recordAttempt(record: AttemptRecord): Promise<void> {
    await this.attemptRows.ensure();
    await this.attemptRows.upsert(record, 'replace');
  }

  async attempts(
    endpointId: string,
    page: { limit: number; continuationToken?: string },
  ): Promise<AttemptPage> {
    await this.attemptRows.ensure();
    const { rows, continuationToken } = await this.attemptRows.query({
      partitionKey: endpointId,
      pageSize: page.limit,
      ...(page.continuationToken ? { continuationToken: page.continuationToken } : {}),
    });
    return { attempts: rows, ...(continuationToken ? { continuationToken } : {}) };
  }

  async deleteOlderThan(before: Date): Promise<number> {
    await Promise.all([this.deliveries.ensure(), this.attemptRows.ensure()]);
    const cutoff = before.toISOString();
    let deleted = 0;
    for await (const row of this.deliveries.all({
      filter: `${this.deliveries.entry.column('updatedAt')} lt '${cutoff}'`,
    }))
      if (await this.deliveries.delete(this.deliveries.key(row.endpointId, row.deliveryId))) deleted += 1;
    for await (const row of this.attemptRows.all({
      filter: `${this.attemptRows.entry.column('at')} lt '${cutoff}'`,
    }))
      if (await this.attemptRows.delete(this.attemptRows.key(row.endpointId, row.attemptId))) deleted += 1;
    return deleted;
  }
}

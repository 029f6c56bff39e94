import { randomBytes } from 'node:crypto';
import { PipelineError } from '../../shared/errors';
import { webhookSubscriptionsTable } from '../../shared/storage';
import type { WebhookSubscription } from '../../shared/webhooks/subscription';
import type { SubscriptionStore } from '../../shared/webhooks/subscriptions';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';

/** Webhook subscriptions in the `webhooksubscriptions` table (one partition, the id as row key). */
export class TableSubscriptionStore implements SubscriptionStore {
  private readonly rows: TableOf<typeof webhookSubscriptionsTable>;

  /** `tableName`: a test's own copy of the table. */
  constructor(tables: TableStore, tableName?: string) {
    this.rows = new CatalogueTable(tables, webhookSubscriptionsTable, tableName);
  }

  async insert(subscription: WebhookSubscription): Promise<void> {
    await this.rows.ensure();
    await this.rows.insert(subscription);
  }

  async get(id: string): Promise<WebhookSubscription | undefined> {
    await this.rows.ensure();
    return (await this.rows.get(id))?.row;
  }

  async list(): Promise<WebhookSubscription[]> {
    await this.rows.ensure();
    const all: WebhookSubscription[] = [];
    for await (const row of this.rows.all({ partitionKey: webhookSubscriptionsTable.partition }))
      all.push(row);
    return all;
  }

  async update(
    id: string,
    change: (stored: WebhookSubscription) => WebhookSubscription,
  ): Promise<WebhookSubscription | undefined> {
    await this.rows.ensure();
    for (let attempt = 1; ; attempt++) {
      const stored = await this.rows.get(id);
      if (stored === undefined) return undefined;
      const changed = change(stored.row);
      try {
        // Conditional on the version read: a rotation and a PATCH at once must not drop each other's change.
        await this.rows.update(changed, { etag: stored.etag, mode: 'replace' });
        return changed;
      } catch (error) {
        if (!PipelineError.is(error, 'storage.precondition-failed') || attempt >= maxUpdateAttempts)
          throw error;
      }
    }
  }

  async delete(id: string): Promise<boolean> {
    await this.rows.ensure();
    return this.rows.delete(this.rows.key(id));
  }
}

/** Tries of a read-change-write that lost a race; then the error goes to the caller (503). */
const maxUpdateAttempts = 5;

const base32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** `ep_` + 26 base32 characters (130 random bits): an id that reveals nothing and is safe in a row key. */
export function newSubscriptionId(): string {
  const bytes = randomBytes(26);
  return `ep_${Array.from(bytes, (byte) => base32[byte & 31]).join('')}`;
}

import type { WebhookSubscription } from '../../shared/webhooks/subscription';
import type { SubscriptionStore } from '../../shared/webhooks/subscriptions';

/** Webhook subscriptions in a map, for handler and domain tests; `rows` is what was stored, secrets and all. */
export class MemorySubscriptionStore implements SubscriptionStore {
  readonly rows = new Map<string, WebhookSubscription>();

  insert(subscription: WebhookSubscription): Promise<void> {
    if (this.rows.has(subscription.id)) return Promise.reject(new Error(`${subscription.id} exists`));
    this.rows.set(subscription.id, structuredClone(subscription));
    return Promise.resolve();
  }

  get(id: string): Promise<WebhookSubscription | undefined> {
    const row = this.rows.get(id);
    return Promise.resolve(row && structuredClone(row));
  }

  list(): Promise<WebhookSubscription[]> {
    const ids = [...this.rows.keys()].sort();
    return Promise.resolve(ids.map((id) => structuredClone(this.rows.get(id) as WebhookSubscription)));
  }

  update(
    id: string,
    change: (stored: WebhookSubscription) => WebhookSubscription,
  ): Promise<WebhookSubscription | undefined> {
    const row = this.rows.get(id);
    if (row === undefined) return Promise.resolve(undefined);
    const changed = change(structuredClone(row));
    this.rows.set(id, structuredClone(changed));
    return Promise.resolve(changed);
  }

  delete(id: string): Promise<boolean> {
    return Promise.resolve(this.rows.delete(id));
  }
}

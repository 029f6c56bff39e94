import type { WebhookSubscription } from './subscription';
import type { SubscriptionStore } from './subscriptions';

/** How long the fan-out may use a list of subscriptions it read (the default of `SubscriptionListCache`). */
export const SUBSCRIPTION_LIST_TTL_MS = 30_000;

/**
 * The subscription list, read once per `ttlMs` per instance instead of once per event: every event on
 * `events` is fanned out (`WebhookDelivery.fanOut`), two or more per build, and each listed the whole
 * `webhooksubscriptions` partition. What a snapshot can get wrong, and why that is safe:
 * - A subscription created, changed or deleted through this instance drops the snapshot (every write goes
 *   through here, the API's and delivery's alike), so this instance never fans out from a list older than
 *   its own last write.
 * - One created on another instance receives this instance's events from at most `ttlMs` later (30 s by
 *   default); events before that are not sent to it, as events before its creation are not.
 * - One deleted or disabled on another instance may still get attempt messages for up to `ttlMs`: delivery
 *   reads the endpoint again before each attempt (`WebhookDelivery.deliver`), so nothing is POSTed to it.
 * The subscription API lists through `listFresh` (never a snapshot), which also renews the snapshot.
 */
export class SubscriptionListCache implements SubscriptionStore {
  private snapshot: { readonly at: number; readonly list: Promise<WebhookSubscription[]> } | undefined;

  constructor(
    private readonly store: SubscriptionStore,
    private readonly now: () => Date,
    private readonly ttlMs = SUBSCRIPTION_LIST_TTL_MS,
  ) {}

  /** Every subscription as of at most `ttlMs` ago (or this instance's last write, if later). */
  list(): Promise<WebhookSubscription[]> {
    const at = this.now().getTime();
    const snapshot = this.snapshot;
    if (snapshot && at - snapshot.at < this.ttlMs && at >= snapshot.at) return copyOf(snapshot.list);
    return this.listFresh();
  }

  /** Every subscription, read from the store now. */
  listFresh(): Promise<WebhookSubscription[]> {
    const list = this.store.list();
    const snapshot = { at: this.now().getTime(), list };
    this.snapshot = snapshot;
    // A failed read is not kept: the next call reads again.
    list.catch(() => {
      if (this.snapshot === snapshot) this.snapshot = undefined;
    });
    return copyOf(list);
  }

  get(id: string): Promise<WebhookSubscription | undefined> {
    return this.store.get(id);
  }

  async insert(subscription: WebhookSubscription): Promise<void> {
    try {
      await this.store.insert(subscription);
    } finally {
      this.snapshot = undefined;
    }
  }

  async update(
    id: string,
    change: (stored: WebhookSubscription) => WebhookSubscription,
  ): Promise<WebhookSubscription | undefined> {
    try {
      return await this.store.update(id, change);
    } finally {
      this.snapshot = undefined;
    }
  }

  async delete(id: string): Promise<boolean> {
    try {
      return await this.store.delete(id);
    } finally {
      this.snapshot = undefined;
    }
  }

  /** This store as the subscription API sees it: the same writes, but `list` always reads the store. */
  forApi(): SubscriptionStore {
    return {
      insert: (subscription) => this.insert(subscription),
      get: (id) => this.get(id),
      list: () => this.listFresh(),
      update: (id, change) => this.update(id, change),
      delete: (id) => this.delete(id),
    };
  }
}

/** Callers may change the array they get; the snapshot's stays as read. */
async function copyOf(list: Promise<WebhookSubscription[]>): Promise<WebhookSubscription[]> {
  return [...(await list)];
}

import { describe, expect, test } from 'vitest';
import { newSubscriptionId, TableSubscriptionStore } from '../../../infra/webhooks/table-subscription-store';
import { catalogueRows } from '../../../testing/fixtures/catalogue-rows';
import { useAzurite } from '../../../testing/azurite';
import type { WebhookSubscription } from '../../../shared/webhooks/subscription';

const azurite = useAzurite();

const sample = (id: string, over: Partial<WebhookSubscription> = {}): WebhookSubscription => ({
  ...catalogueRows.webhookSubscriptions,
  id,
  ...over,
});

describe('TableSubscriptionStore on Azurite', () => {
  test('a subscription reads back as stored, secrets and long filters included', async () => {
    const store = new TableSubscriptionStore(azurite.tables, azurite.name('subs'));
    // 3 × 100 × 200 characters: more than one string property holds.
    const long = (prefix: string) => Array.from({ length: 100 }, (_, i) => `${prefix}${i}`.padEnd(200, 'x'));
    const subscription = sample('ep_one', {
      filters: { components: long('c'), channels: long('h'), repositories: long('r') },
    });
    await store.insert(subscription);
    expect(await store.get('ep_one')).toEqual(subscription);
    expect(await store.get('ep_none')).toBeUndefined();
  });

  test('list gives every subscription in id order; delete removes one and says whether it was there', async () => {
    const store = new TableSubscriptionStore(azurite.tables, azurite.name('subs'));
    expect(await store.list()).toEqual([]);
    await store.insert(sample('ep_b'));
    await store.insert(sample('ep_a', { enabled: false }));
    expect((await store.list()).map((row) => [row.id, row.enabled])).toEqual([
      ['ep_a', false],
      ['ep_b', true],
    ]);
    expect(await store.delete('ep_a')).toBe(true);
    expect(await store.delete('ep_a')).toBe(false);
    expect((await store.list()).map((row) => row.id)).toEqual(['ep_b']);
  });

  test('update applies the change to what is stored; concurrent changes both land; a missing id is undefined', async () => {
    const store = new TableSubscriptionStore(azurite.tables, azurite.name('subs'));
    await store.insert(sample('ep_c', { description: '' }));
    await Promise.all([
      store.update('ep_c', (row) => ({ ...row, enabled: false })),
      store.update('ep_c', (row) => ({ ...row, description: 'changed' })),
    ]);
    expect(await store.get('ep_c')).toMatchObject({ enabled: false, description: 'changed' });
    expect(await store.update('ep_none', (row) => row)).toBeUndefined();
    expect(await store.get('ep_none')).toBeUndefined();
  });

  test('ids are ep_ and 26 base32 characters, different each time', () => {
    const ids = new Set(Array.from({ length: 100 }, () => newSubscriptionId()));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^ep_[a-z2-7]{26}$/);
  });
});

import { describe, expect, it } from 'vitest';
import { newSecretSet } from '../../../shared/webhooks/secret-rotation';
import type { WebhookSubscription } from '../../../shared/webhooks/subscription';
import { SubscriptionListCache } from '../../../shared/webhooks/subscription-list-cache';
import type { WebhookSecret } from '../../../shared/webhooks/webhook-secret';
import { MemorySubscriptionStore } from '../../../testing/fakes/subscription-store';

const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}` as WebhookSecret;

function endpoint(id: string): WebhookSubscription {
  return {
    id,
    url: `https://${id}.example.com/hooks`,
    events: ['*'],
    filters: {},
    description: '',
    enabled: true,
    format: 'cloudevents',
    secrets: newSecretSet(SECRET),
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
  };
}

/** A store that counts its lists; `failNext` makes the next list fail. */
class CountingStore extends MemorySubscriptionStore {
  lists = 0;
  failNext = false;
  override list(): Promise<WebhookSubscription[]> {
    this.lists++;
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('storage unavailable'));
    }
    return super.list();
  }
}

function setup() {
  const store = new CountingStore();
  let clock = Date.parse('2026-12-06T10:00:00.000Z');
  const cache = new SubscriptionListCache(store, () => new Date(clock), 30_000);
  const ids = async (list: Promise<WebhookSubscription[]>) => (await list).map((s) => s.id);
  return { store, cache, ids, advance: (ms: number) => void (clock += ms) };
}

describe('SubscriptionListCache', () => {
  it('lists from the store once per 30 s, however many events are fanned out meanwhile', async () => {
    const { store, cache, ids, advance } = setup();
    await store.insert(endpoint('ep_a'));
    for (let i = 0; i < 10; i++) {
      expect(await ids(cache.list())).toEqual(['ep_a']);
      advance(2_000);
    }
    expect(store.lists).toBe(1);
    advance(10_000);
    await cache.list();
    expect(store.lists).toBe(2);
  });

  it('a subscription written through it is in the next list at once; one written elsewhere within 30 s', async () => {
    const { store, cache, ids, advance } = setup();
    expect(await ids(cache.list())).toEqual([]);
    await cache.forApi().insert(endpoint('ep_here'));
    expect(await ids(cache.list())).toEqual(['ep_here']);
    await store.insert(endpoint('ep_elsewhere')); // another instance
    advance(29_000);
    expect(await ids(cache.list())).toEqual(['ep_here']);
    advance(1_000);
    expect(await ids(cache.list())).toEqual(['ep_elsewhere', 'ep_here']);
    await cache.update('ep_here', (s) => ({ ...s, enabled: false }));
    expect((await cache.list()).find((s) => s.id === 'ep_here')?.enabled).toBe(false);
    await cache.forApi().delete('ep_here');
    expect(await ids(cache.list())).toEqual(['ep_elsewhere']);
  });

  it('the API always lists the store; a failed list is not kept; callers cannot change the snapshot', async () => {
    const { store, cache, ids } = setup();
    await cache.list();
    await store.insert(endpoint('ep_a'));
    expect(await ids(cache.forApi().list())).toEqual(['ep_a']);
    expect(await ids(cache.list())).toEqual(['ep_a']); // the API's read renewed the snapshot
    (await cache.list()).pop();
    expect(await ids(cache.list())).toEqual(['ep_a']);
    const lists = store.lists;
    store.failNext = true;
    await expect(cache.forApi().list()).rejects.toThrow('storage unavailable');
    expect(await ids(cache.list())).toEqual(['ep_a']);
    expect(store.lists).toBe(lists + 2);
  });
});

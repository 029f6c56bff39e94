import { describe, expect, test } from 'vitest';
import { TableDeliveryLog } from '../../../infra/webhooks/table-delivery-log';
import type { AttemptRecord, DeliveryRecord } from '../../../shared/webhooks/delivery';
import { attemptIdOf } from '../../../shared/webhooks/delivery';
import { useAzurite } from '../../../testing/azurite';
import { catalogueRows } from '../../../testing/fixtures/catalogue-rows';

const azurite = useAzurite();

const log = () =>
  new TableDeliveryLog(azurite.tables, {
    deliveries: azurite.name('deliveries'),
    attempts: azurite.name('attempts'),
  });

const delivery = (deliveryId: string, over: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  ...catalogueRows.webhookDeliveries,
  deliveryId,
  ...over,
});

const attempt = (at: string, n: number, over: Partial<AttemptRecord> = {}): AttemptRecord => {
  const message = { deliveryId: 'dlv_a', round: 1, attempt: n };
  return {
    ...catalogueRows.webhookAttempts,
    ...message,
    attemptId: attemptIdOf(Date.parse(at), message),
    at,
    ...over,
  };
};

describe('TableDeliveryLog on Azurite', () => {
  test('a delivery reads back as saved, a large event included; saving again replaces it whole', async () => {
    const deliveries = log();
    const planned = Array.from({ length: 3000 }, (_, i) => ({
      component: `component-${i}`,
      wave: 0,
      priority: 1,
    }));
    const large = delivery('dlv_large', {
      event: { ...catalogueRows.webhookDeliveries.event, data: { planned } },
    });
    await deliveries.saveDelivery(large);
    expect(await deliveries.getDelivery(large.endpointId, 'dlv_large')).toEqual(large);
    const { nextAttemptAt: _next, detail: _detail, ...delivered } = large;
    await deliveries.saveDelivery({ ...delivered, status: 'delivered' });
    const stored = await deliveries.getDelivery(large.endpointId, 'dlv_large');
    expect(stored?.status).toBe('delivered');
    expect(stored?.nextAttemptAt).toBeUndefined();
    expect(await deliveries.getDelivery(large.endpointId, 'dlv_none')).toBeUndefined();
  });

  test('deliveriesSince finds the statuses asked for, updated at or after the time, in one endpoint', async () => {
    const deliveries = log();
    await deliveries.saveDelivery(
      delivery('dlv_old', { status: 'failed', updatedAt: '2026-12-01T00:00:00.000Z' }),
    );
    await deliveries.saveDelivery(
      delivery('dlv_new', { status: 'failed', updatedAt: '2026-12-05T00:00:00.000Z' }),
    );
    await deliveries.saveDelivery(
      delivery('dlv_skip', { status: 'skipped', updatedAt: '2026-12-05T00:00:00.000Z' }),
    );
    await deliveries.saveDelivery(
      delivery('dlv_ok', { status: 'delivered', updatedAt: '2026-12-05T00:00:00.000Z' }),
    );
    await deliveries.saveDelivery(
      delivery('dlv_elsewhere', {
        endpointId: 'ep_other',
        status: 'failed',
        updatedAt: '2026-12-05T00:00:00.000Z',
      }),
    );
    const found = await deliveries.deliveriesSince(
      catalogueRows.webhookDeliveries.endpointId,
      new Date('2026-12-04T00:00:00.000Z'),
      ['failed', 'skipped'],
    );
    expect(found.map((row) => row.deliveryId).sort()).toEqual(['dlv_new', 'dlv_skip']);
  });

  test('attempts page newest first with a continuation token; the sweep deletes what is older than the cutoff', async () => {
    const attempts = log();
    const times = ['2026-12-06T10:00:00.000Z', '2026-12-06T10:00:05.000Z', '2026-12-06T10:05:05.000Z'];
    for (const [i, at] of times.entries()) await attempts.recordAttempt(attempt(at, i + 1));
    const endpoint = catalogueRows.webhookAttempts.endpointId;
    const first = await attempts.attempts(endpoint, { limit: 2 });
    expect(first.attempts.map((row) => row.attempt)).toEqual([3, 2]);
    expect(first.attempts[0]).toEqual(attempt(times[2] ?? '', 3));
    const second = await attempts.attempts(endpoint, {
      limit: 2,
      continuationToken: first.continuationToken ?? '',
    });
    expect(second.attempts.map((row) => row.attempt)).toEqual([1]);
    expect(second.continuationToken).toBeUndefined();

    await attempts.saveDelivery(delivery('dlv_a', { updatedAt: '2026-12-06T10:00:05.000Z' }));
    expect(await attempts.deleteOlderThan(new Date('2026-12-06T10:01:00.000Z'))).toBe(3);
    expect((await attempts.attempts(endpoint, { limit: 10 })).attempts.map((row) => row.attempt)).toEqual([
      3,
    ]);
    expect(await attempts.getDelivery(endpoint, 'dlv_a')).toBeUndefined();
  });
});

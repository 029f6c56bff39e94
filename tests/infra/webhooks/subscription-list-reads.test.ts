import { expect, test } from 'vitest';
import { TableSubscriptionStore } from '../../../infra/webhooks/table-subscription-store';
import { toCloudEvent } from '../../../shared/events';
import { silentLogger } from '../../../shared/logger';
import { webhookSubscriptionsTable } from '../../../shared/storage';
import { SubscriptionListCache } from '../../../shared/webhooks/subscription-list-cache';
import { WebhookDelivery } from '../../../shared/webhooks/webhook-delivery';
import { useAzurite } from '../../../testing/azurite';
import { CountingTableStore } from '../../../testing/counting-table-store';
import {
  MemoryDeliveryLog,
  RecordingDeliveryQueue,
  ScriptedPoster,
} from '../../../testing/fakes/delivery-ports';
import { recordingTelemetry } from '../../../testing/fakes/telemetry';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

const azurite = useAzurite();

test('fanning out the events of many builds lists the webhooksubscriptions table once per 30 s', async () => {
  const name = azurite.name('subs');
  const tables = new CountingTableStore({ connectionString: azurite.connectionString }, () => name);
  let clock = Date.parse('2026-12-06T10:00:00.000Z');
  const now = () => new Date(clock);
  const queue = new RecordingDeliveryQueue();
  const delivery = new WebhookDelivery({
    subscriptions: new SubscriptionListCache(new TableSubscriptionStore(tables), now),
    poster: new ScriptedPoster(() => {
      throw new Error('no attempt is made here');
    }),
    log: new MemoryDeliveryLog(),
    queue,
    events: { publish: () => Promise.resolve() },
    telemetry: recordingTelemetry().telemetry,
    logger: silentLogger,
    now,
    random: () => 0,
    retryScheduleMs: [5_000],
    disableAfterMs: 86_400_000,
    logRetentionMs: 86_400_000,
    senderVersion: '1.0.0',
    instanceName: 'test',
  });
  const events = [sampleEvents['build.started'], sampleEvents['build.succeeded']];
  // 100 builds' started and succeeded events over 20 s; then one more after the snapshot expired.
  for (let i = 0; i < 100; i++) {
    for (const event of events) expect(await delivery.fanOut(toCloudEvent(event, 'test'))).toBe(0);
    clock += 200;
  }
  expect(tables.readsOf(webhookSubscriptionsTable.name).queries).toBe(1); // was one per event: 200
  clock += 30_000;
  await delivery.fanOut(toCloudEvent(events[0]!, 'test'));
  expect(tables.readsOf(webhookSubscriptionsTable.name).queries).toBe(2);
  expect(queue.sent).toEqual([]);
}, 30_000);

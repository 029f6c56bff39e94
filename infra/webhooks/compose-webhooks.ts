import type { Logger } from '../../shared/logger';
import type { PipelineEventPublisher } from '../../shared/messaging/pipeline-event';
import type { Settings } from '../../shared/settings/load-settings';
import type { PipelineTelemetry } from '../../shared/telemetry/pipeline-telemetry';
import { WebhookDelivery } from '../../shared/webhooks/webhook-delivery';
import { SubscriptionListCache } from '../../shared/webhooks/subscription-list-cache';
import { WebhookSubscriptions } from '../../shared/webhooks/subscriptions';
import { pipelineVersion } from '../os/project-paths';
import type { ServiceBusClient } from '../servicebus';
import type { TableStore } from '../storage';
import { randomWebhookSecret } from './random-webhook-secret';
import { createSafeHttpClient } from './safe-http-client';
import { ServiceBusDeliveryQueue } from './service-bus-delivery-queue';
import { TableDeliveryLog } from './table-delivery-log';
import { newSubscriptionId, TableSubscriptionStore } from './table-subscription-store';

export interface WebhookStores {
  readonly tables: TableStore;
  readonly serviceBus: ServiceBusClient;
  readonly events: PipelineEventPublisher;
  readonly telemetry: PipelineTelemetry;
}

/**
 * Webhooks over Tables, Service Bus and the SSRF-safe HTTP client: the subscription API and delivery. Both
 * judge URLs with the same destination policy (`AZL_WEBHOOK_ALLOW_LOOPBACK` for the local runtime). Both
 * go through one `SubscriptionListCache`: the fan-out lists subscriptions at most every 30 s, and any write
 * here (the API's, delivery's) drops that list.
 */
export function composeWebhooks(
  settings: Settings,
  stores: WebhookStores,
  logger: Logger,
): { subscriptions: WebhookSubscriptions; delivery: WebhookDelivery; close(): Promise<void> } {
  const policy = { allowLoopback: settings.webhookAllowLoopback };
  const store = new SubscriptionListCache(new TableSubscriptionStore(stores.tables), () => new Date());
  const queue = new ServiceBusDeliveryQueue(stores.serviceBus);
  const subscriptions = new WebhookSubscriptions({
    store: store.forApi(),
    policy,
    newSecret: () => randomWebhookSecret(),
    newId: newSubscriptionId,
    now: () => new Date(),
  });
  const { webhooks } = settings;
  const delivery = new WebhookDelivery({
    subscriptions: store,
    poster: createSafeHttpClient({ policy }),
    log: new TableDeliveryLog(stores.tables),
    queue,
    events: stores.events,
    telemetry: stores.telemetry,
    logger,
    now: () => new Date(),
    random: Math.random,
    retryScheduleMs: webhooks.retryScheduleMs,
    disableAfterMs: webhooks.disableAfterMs,
    logRetentionMs: webhooks.logRetentionMs,
    senderVersion: pipelineVersion(),
    instanceName: settings.instanceName,
    ...(webhooks.publicUrl === undefined ? {} : { publicUrl: webhooks.publicUrl }),
  });
  return { subscriptions, delivery, close: () => queue.close() };
}

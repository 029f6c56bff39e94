import { startHttpServer } from '../../hosts/local/functions-host/http-server';
import { webhookFunctions } from '../../functions/webhooks';
import { silentLogger } from '../../shared/logger';
import { WebhookDelivery } from '../../shared/webhooks/webhook-delivery';
import { WebhookSubscriptions } from '../../shared/webhooks/subscriptions';
import { randomWebhookSecret } from '../../infra/webhooks/random-webhook-secret';
import { answered, MemoryDeliveryLog, RecordingDeliveryQueue, ScriptedPoster } from '../fakes/delivery-ports';
import { fakeServices } from '../fakes/services';
import { MemorySubscriptionStore } from '../fakes/subscription-store';
import { recordingTelemetry } from '../fakes/telemetry';

/**
 * The webhook API over real HTTP on loopback, behind a function key, as a client (the CLI) meets it: the real
 * handlers (`functions/webhooks.ts`) over the real subscription and delivery services, on fakes at their
 * ports: subscriptions in a `MemorySubscriptionStore` (loopback URLs allowed, as the local runtime allows
 * them), the delivery log in a `MemoryDeliveryLog` a test can fill, and the delivery queue recording what
 * ping, redeliver and recover sent. Nothing is POSTed anywhere: the poster answers 500 if a test delivers.
 */
export interface WebhookApiServer {
  /** `http://127.0.0.1:<port>/api`. */
  readonly apiBaseUrl: string;
  readonly functionKey: string;
  readonly store: MemorySubscriptionStore;
  readonly log: MemoryDeliveryLog;
  readonly queue: RecordingDeliveryQueue;
  close(): Promise<void>;
}

export async function startWebhookApiServer(): Promise<WebhookApiServer> {
  const store = new MemorySubscriptionStore();
  const log = new MemoryDeliveryLog();
  const queue = new RecordingDeliveryQueue();
  let ids = 0;
  const webhooks = new WebhookSubscriptions({
    store,
    policy: { allowLoopback: true },
    newSecret: () => randomWebhookSecret(),
    newId: () => `ep_${String(++ids).padStart(3, '0')}`,
    now: () => new Date(),
  });
  const webhookDelivery = new WebhookDelivery({
    subscriptions: store,
    poster: new ScriptedPoster(() => answered(500)),
    log,
    queue,
    events: { publish: () => Promise.resolve() },
    telemetry: recordingTelemetry().telemetry,
    logger: silentLogger,
    now: () => new Date(),
    random: () => 0,
    retryScheduleMs: [],
    disableAfterMs: 86_400_000,
    logRetentionMs: 86_400_000,
    senderVersion: 'test',
    instanceName: 'test',
  });
  const functionKey = 'webhook-api-test-key';
  const server = await startHttpServer({
    functions: webhookFunctions(() => Promise.resolve(fakeServices({ webhooks, webhookDelivery }))),
    port: 0,
    functionKeys: { default: functionKey },
    logger: silentLogger,
  });
  return {
    apiBaseUrl: `${server.url}/api`,
    functionKey,
    store,
    log,
    queue,
    close: () => server.close(),
  };
}

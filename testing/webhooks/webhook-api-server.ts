import { startHttpServer } from '../../hosts/local/functions-host/http-server';
import { webhookFunctions } from '../../functions/webhooks';
import { silentLogger } from '../../shared/logger';
import type { MemoryDeliveryLog, RecordingDeliveryQueue } from '../fakes/delivery-ports';
import { fakeServices } from '../fakes/services';
import type { MemorySubscriptionStore } from '../fakes/subscription-store';
import { webhooksOnFakes } from './webhooks-on-fakes';

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
  const { store, log, queue, subscriptions, delivery } = webhooksOnFakes();
  const functionKey = 'webhook-api-test-key';
  const server = await startHttpServer({
    functions: webhookFunctions(() =>
      Promise.resolve(fakeServices({ webhooks: subscriptions, webhookDelivery: delivery })),
    ),
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

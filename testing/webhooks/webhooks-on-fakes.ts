import { randomWebhookSecret } from '../../infra/webhooks/random-webhook-secret';
import { silentLogger } from '../../shared/logger';
import type { WebhookPoster } from '../../shared/webhooks/delivery-attempt';
import type { DestinationPolicy } from '../../shared/webhooks/destination-policy';
import { WebhookSubscriptions } from '../../shared/webhooks/subscriptions';
import { WebhookDelivery } from '../../shared/webhooks/webhook-delivery';
import { answered, MemoryDeliveryLog, RecordingDeliveryQueue, ScriptedPoster } from '../fakes/delivery-ports';
import { MemorySubscriptionStore } from '../fakes/subscription-store';
import { recordingTelemetry } from '../fakes/telemetry';

export interface WebhooksOnFakes {
  readonly store: MemorySubscriptionStore;
  readonly log: MemoryDeliveryLog;
  readonly queue: RecordingDeliveryQueue;
  readonly subscriptions: WebhookSubscriptions;
  readonly delivery: WebhookDelivery;
}

/**
 * The real subscription and delivery services on fakes at every port, for API and CLI tests: subscriptions
 * in a map (ids `ep_001`, `ep_002`, …), the log in maps, the queue as lists, and a poster that answers 500
 * unless one is given (nothing is POSTed anywhere). No retries: a failed attempt fails the delivery.
 */
export function webhooksOnFakes(
  options: {
    readonly policy?: DestinationPolicy;
    readonly poster?: WebhookPoster;
    /** The clock of both services; default the real one. A fixed clock keeps cool-downs out of a test's way. */
    readonly now?: () => Date;
  } = {},
): WebhooksOnFakes {
  const store = new MemorySubscriptionStore();
  const log = new MemoryDeliveryLog();
  const queue = new RecordingDeliveryQueue();
  let ids = 0;
  const subscriptions = new WebhookSubscriptions({
    store,
    policy: options.policy ?? { allowLoopback: true },
    newSecret: () => randomWebhookSecret(),
    newId: () => `ep_${String(++ids).padStart(3, '0')}`,
    now: options.now ?? (() => new Date()),
  });
  const delivery = new WebhookDelivery({
    subscriptions: store,
    poster: options.poster ?? new ScriptedPoster(() => answered(500)),
    log,
    queue,
    events: { publish: () => Promise.resolve() },
    telemetry: recordingTelemetry().telemetry,
    logger: silentLogger,
    now: options.now ?? (() => new Date()),
    random: () => 0,
    retryScheduleMs: [],
    disableAfterMs: 86_400_000,
    logRetentionMs: 86_400_000,
    senderVersion: 'test',
    instanceName: 'test',
  });
  return { store, log, queue, subscriptions, delivery };
}

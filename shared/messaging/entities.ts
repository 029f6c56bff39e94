/**
 * Every Service Bus entity the pipeline uses, defined once. This table feeds the local broker, the Service Bus
 * adapter's checks and (later) the Bicep templates, so names and limits cannot drift apart.
 * Durations are in seconds; `toIsoDuration` renders them as Azure expects (`PT5M`).
 */
export interface QueueDefinition {
  readonly kind: 'queue';
  readonly name: string;
  readonly purpose: string;
  readonly lockDurationSeconds: number;
  readonly maxDeliveryCount: number;
  readonly requiresSession: boolean;
  /** Duplicate detection by message id within this window; 0 turns it off. */
  readonly duplicateDetectionWindowSeconds: number;
  readonly defaultMessageTtlSeconds: number;
  readonly deadLetteringOnMessageExpiration: boolean;
  /** The largest message (or batch) a sender may send here, headers included; see `STANDARD_MAX_MESSAGE_SIZE_KILOBYTES`. */
  readonly maxMessageSizeKilobytes: number;
}

/**
 * A correlation filter: a message matches when it carries every value given, compared exactly. Application
 * property values are strings, as ARM's `correlationFilter.properties` holds them.
 */
export interface CorrelationFilterDefinition {
  readonly correlationId?: string;
  readonly messageId?: string;
  readonly to?: string;
  readonly replyTo?: string;
  /** The message's subject (ARM and SQL filters call it `label`). */
  readonly subject?: string;
  readonly sessionId?: string;
  readonly replyToSessionId?: string;
  readonly contentType?: string;
  readonly applicationProperties?: Readonly<Record<string, string>>;
}

/**
 * A subscription rule: a filter (a correlation filter, or a SQL filter expression) and optionally a SQL rule
 * action (`SET priority = 'high'`) applied to the copy the subscription receives.
 */
export interface SubscriptionRuleDefinition {
  readonly name: string;
  readonly filter: { readonly correlation: CorrelationFilterDefinition } | { readonly sql: string };
  readonly action?: string;
}

export interface SubscriptionDefinition {
  readonly name: string;
  readonly purpose: string;
  readonly lockDurationSeconds: number;
  readonly maxDeliveryCount: number;
  readonly requiresSession: boolean;
  readonly defaultMessageTtlSeconds: number;
  readonly deadLetteringOnMessageExpiration: boolean;
  /**
   * Rules added to the subscription. As on Azure (and in ARM, which cannot delete it), the subscription also
   * keeps its `$Default` rule, which lets every message in, unless one of these is named `$Default`: that one
   * replaces it. So a subscription that wants only some messages names its rule `$Default`.
   */
  readonly rules?: readonly SubscriptionRuleDefinition[];
}

export interface TopicDefinition {
  readonly kind: 'topic';
  readonly name: string;
  readonly purpose: string;
  readonly duplicateDetectionWindowSeconds: number;
  readonly defaultMessageTtlSeconds: number;
  /** The largest message (or batch) a publisher may send to the topic; its subscriptions take what it accepts. */
  readonly maxMessageSizeKilobytes: number;
  readonly subscriptions: readonly SubscriptionDefinition[];
}

export type EntityDefinition = QueueDefinition | TopicDefinition;

/**
 * The Standard tier's maximum message size (256 KB, a fixed tier limit; Premium makes it a per-entity setting
 * up to 100 MB). The namespace is Standard, so every entity uses it; the local broker enforces each entity's.
 */
export const STANDARD_MAX_MESSAGE_SIZE_KILOBYTES = 256;

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const queues = {
  ingest: {
    kind: 'queue',
    name: 'ingest',
    purpose: 'normalized upstream events from Fedora, one message per Fedora message id',
    lockDurationSeconds: 1 * MINUTE,
    maxDeliveryCount: 10,
    requiresSession: false,
    duplicateDetectionWindowSeconds: 1 * DAY,
    defaultMessageTtlSeconds: 14 * DAY,
    deadLetteringOnMessageExpiration: true,
    maxMessageSizeKilobytes: STANDARD_MAX_MESSAGE_SIZE_KILOBYTES,
  },
  builds: {
    kind: 'queue',
    name: 'builds',
    purpose:
      'one rebuild job per component; session = component, so one component builds at a time, in order',
    lockDurationSeconds: 5 * MINUTE,
    maxDeliveryCount: 5,
    requiresSession: true,
    duplicateDetectionWindowSeconds: 1 * DAY,
    defaultMessageTtlSeconds: 14 * DAY,
    deadLetteringOnMessageExpiration: true,
    maxMessageSizeKilobytes: STANDARD_MAX_MESSAGE_SIZE_KILOBYTES,
  },
  publish: {
    kind: 'queue',
    name: 'publish',
    purpose:
      'packages to add to a repository; session = repository id, so each repository publishes serially',
    lockDurationSeconds: 2 * MINUTE,
    maxDeliveryCount: 10,
    requiresSession: true,
    duplicateDetectionWindowSeconds: 1 * DAY,
    defaultMessageTtlSeconds: 14 * DAY,
    deadLetteringOnMessageExpiration: true,
    maxMessageSizeKilobytes: STANDARD_MAX_MESSAGE_SIZE_KILOBYTES,
  },
  buildResults: {
    kind: 'queue',
    name: 'build-results',
    purpose:
      'outcomes reported by cloud build executions (Container Apps Job); message id = fingerprint:execution',
    lockDurationSeconds: 1 * MINUTE,
    maxDeliveryCount: 10,
    requiresSession: false,
    duplicateDetectionWindowSeconds: 1 * DAY,
    defaultMessageTtlSeconds: 14 * DAY,
    deadLetteringOnMessageExpiration: true,
    maxMessageSizeKilobytes: STANDARD_MAX_MESSAGE_SIZE_KILOBYTES,
  },
  webhookDeliveries: {
    kind: 'queue',
    name: 'webhook-deliveries',
    purpose:
      'one webhook delivery attempt per message (an event for one endpoint); session = endpoint id, so a slow or ' +
      'broken endpoint holds only its own session; retries are scheduled messages',
    // An attempt ends within its 15 s limit; the lock leaves room for the log writes around it.
    lockDurationSeconds: 1 * MINUTE,
    maxDeliveryCount: 10,
    requiresSession: true,
    duplicateDetectionWindowSeconds: 1 * DAY,
    // Longer than the retry schedule (about 27 h), so a scheduled retry cannot expire before it runs.
    defaultMessageTtlSeconds: 3 * DAY,
    deadLetteringOnMessageExpiration: true,
    maxMessageSizeKilobytes: STANDARD_MAX_MESSAGE_SIZE_KILOBYTES,
  },
  imageBuilds: {
    kind: 'queue',
    name: 'image-builds',
    purpose:
      'image build triggers: the debounce checks after repo.published and builds asked for over HTTP; ' +
      'session = image name, so one build of an image at a time; checks are scheduled messages whose ids coalesce',
    lockDurationSeconds: 5 * MINUTE,
    maxDeliveryCount: 5,
    requiresSession: true,
    duplicateDetectionWindowSeconds: 1 * DAY,
    defaultMessageTtlSeconds: 14 * DAY,
    deadLetteringOnMessageExpiration: true,
    maxMessageSizeKilobytes: STANDARD_MAX_MESSAGE_SIZE_KILOBYTES,
  },
} as const satisfies Record<string, QueueDefinition>;

export const topics = {
  events: {
    kind: 'topic',
    name: 'events',
    purpose: 'pipeline lifecycle events (build.started, build.succeeded, repo.published, ...)',
    duplicateDetectionWindowSeconds: 1 * HOUR,
    defaultMessageTtlSeconds: 7 * DAY,
    maxMessageSizeKilobytes: STANDARD_MAX_MESSAGE_SIZE_KILOBYTES,
    subscriptions: [
      {
        name: 'webhooks',
        purpose: 'fans each event out to the webhook-deliveries queue, one message per matching endpoint',
        lockDurationSeconds: 1 * MINUTE,
        maxDeliveryCount: 10,
        requiresSession: false,
        defaultMessageTtlSeconds: 7 * DAY,
        deadLetteringOnMessageExpiration: true,
      },
      {
        name: 'event-grid',
        purpose:
          'hands every event to the Event Grid topic of AZL_EVENTGRID_TOPIC_ENDPOINT (completed unsent without one)',
        lockDurationSeconds: 1 * MINUTE,
        maxDeliveryCount: 10,
        requiresSession: false,
        defaultMessageTtlSeconds: 7 * DAY,
        deadLetteringOnMessageExpiration: true,
      },
      {
        name: 'images',
        purpose:
          'repo.published moves the images using the repository; schedules their image-builds checks ' +
          '(its $Default rule lets in repo.published only)',
        lockDurationSeconds: 1 * MINUTE,
        maxDeliveryCount: 10,
        requiresSession: false,
        defaultMessageTtlSeconds: 7 * DAY,
        deadLetteringOnMessageExpiration: true,
        // Events carry their catalogue type as the message subject (infra/servicebus/topic-event-publisher.ts).
        rules: [{ name: '$Default', filter: { correlation: { subject: 'repo.published' } } }],
      },
    ],
  },
} as const satisfies Record<string, TopicDefinition>;

export const allEntities: readonly EntityDefinition[] = [...Object.values(queues), ...Object.values(topics)];

export type QueueName = (typeof queues)[keyof typeof queues]['name'];
export type TopicName = (typeof topics)[keyof typeof topics]['name'];

/** ISO 8601 duration as ARM expects it (`PT1M`, `P14D`). */
export function toIsoDuration(seconds: number): string {
  if (seconds % DAY === 0) return `P${seconds / DAY}D`;
  const h = Math.floor(seconds / HOUR);
  const m = Math.floor((seconds % HOUR) / MINUTE);
  const s = seconds % MINUTE;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
}

import type {
  EntityDefinition,
  QueueDefinition,
  SubscriptionDefinition,
  SubscriptionRuleDefinition,
} from '../../../shared/messaging/entities';
import { STANDARD_MAX_MESSAGE_SIZE_KILOBYTES } from '../../../shared/messaging/entities';

/** What a queue or topic accepts when its config names no limit: the Standard tier's 256 KB. */
export const DEFAULT_MAX_MESSAGE_SIZE_BYTES = STANDARD_MAX_MESSAGE_SIZE_KILOBYTES * 1024;

/** What the broker needs to know of one receivable entity (a queue, or a topic's subscription). */
export interface EntityConfig {
  /** `ingest`, or `events/subscriptions/webhooks` (lower case; addresses are matched case-insensitively). */
  readonly path: string;
  readonly lockDurationMs: number;
  readonly maxDeliveryCount: number;
  readonly requiresSession: boolean;
  /** 0 turns duplicate detection off. Subscriptions inherit their topic's detection, done at the topic. */
  readonly duplicateDetectionWindowMs: number;
  readonly defaultTtlMs: number;
  readonly deadLetterOnExpiration: boolean;
  /**
   * For a queue: the largest transfer (a message, or a batch) a sender may send, and the size of each message
   * in a schedule request; absent = `DEFAULT_MAX_MESSAGE_SIZE_BYTES`. Subscriptions take their topic's.
   */
  readonly maxMessageSizeBytes?: number;
  /** A subscription's declared rules, added to its `$Default` rule (a rule named `$Default` replaces it). */
  readonly rules?: readonly SubscriptionRuleDefinition[];
}

export interface TopicConfig {
  readonly path: string;
  readonly duplicateDetectionWindowMs: number;
  /** As `EntityConfig.maxMessageSizeBytes`, for what publishers send to the topic. */
  readonly maxMessageSizeBytes?: number;
  readonly subscriptions: readonly EntityConfig[];
}

export interface NamespaceConfig {
  readonly queues: readonly EntityConfig[];
  readonly topics: readonly TopicConfig[];
}

export const subscriptionPath = (topic: string, subscription: string): string =>
  `${topic}/subscriptions/${subscription}`.toLowerCase();

export function namespaceConfigFrom(definitions: readonly EntityDefinition[]): NamespaceConfig {
  const queues: EntityConfig[] = [];
  const topics: TopicConfig[] = [];
  for (const definition of definitions) {
    if (definition.kind === 'queue') queues.push(queueConfig(definition));
    else
      topics.push({
        path: definition.name.toLowerCase(),
        duplicateDetectionWindowMs: definition.duplicateDetectionWindowSeconds * 1000,
        maxMessageSizeBytes: definition.maxMessageSizeKilobytes * 1024,
        subscriptions: definition.subscriptions.map((s) => subscriptionConfig(definition.name, s)),
      });
  }
  return { queues, topics };
}

function queueConfig(q: QueueDefinition): EntityConfig {
  return {
    path: q.name.toLowerCase(),
    lockDurationMs: q.lockDurationSeconds * 1000,
    maxDeliveryCount: q.maxDeliveryCount,
    requiresSession: q.requiresSession,
    duplicateDetectionWindowMs: q.duplicateDetectionWindowSeconds * 1000,
    defaultTtlMs: q.defaultMessageTtlSeconds * 1000,
    deadLetterOnExpiration: q.deadLetteringOnMessageExpiration,
    maxMessageSizeBytes: q.maxMessageSizeKilobytes * 1024,
  };
}

function subscriptionConfig(topic: string, s: SubscriptionDefinition): EntityConfig {
  return {
    path: subscriptionPath(topic, s.name),
    lockDurationMs: s.lockDurationSeconds * 1000,
    maxDeliveryCount: s.maxDeliveryCount,
    requiresSession: s.requiresSession,
    duplicateDetectionWindowMs: 0,
    defaultTtlMs: s.defaultMessageTtlSeconds * 1000,
    deadLetterOnExpiration: s.deadLetteringOnMessageExpiration,
    ...(s.rules ? { rules: s.rules } : {}),
  };
}

/** The configuration of an entity's dead-letter queue: never expires, never dead-letters further. */
export function deadLetterConfig(parent: EntityConfig): EntityConfig {
  return {
    ...parent,
    path: `${parent.path}/$deadletterqueue`,
    requiresSession: false,
    duplicateDetectionWindowMs: 0,
    maxDeliveryCount: Number.MAX_SAFE_INTEGER,
    defaultTtlMs: Number.MAX_SAFE_INTEGER,
    deadLetterOnExpiration: false,
  };
}

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  allEntities,
  STANDARD_MAX_MESSAGE_SIZE_KILOBYTES,
  toIsoDuration,
} from '../shared/messaging/entities';
import type {
  EntityDefinition,
  QueueDefinition,
  SubscriptionDefinition,
  SubscriptionRuleDefinition,
  TopicDefinition,
} from '../shared/messaging/entities';
import { allContainers, allTables } from '../shared/storage';

/**
 * The deployment's messaging and storage entities, generated from the code's own definitions
 * (`shared/messaging/entities.ts`, `shared/storage/catalogue.ts`) into JSON that the Bicep templates read with
 * `loadJsonContent`, so names, lock durations, delivery counts, sessions, duplicate detection, TTLs, tables
 * and container access cannot drift from what the pipeline expects. Properties are spelled as ARM's
 * `Microsoft.ServiceBus` resources spell them, so a template passes them through as they are.
 * `npm run bicep:entities` rewrites the files; `tests/scripts/deployment-entities.test.ts` fails while they
 * are stale.
 */
export const SERVICE_BUS_FILE = 'bicep/generated/service-bus-entities.json';
export const STORAGE_FILE = 'bicep/generated/storage-entities.json';

/**
 * The namespace is Standard (bicep/modules/service-bus.bicep), whose maximum message size is the tier's fixed
 * 256 KB: ARM takes `maxMessageSizeInKilobytes` on Premium only, so nothing is generated for it, and an entity
 * asking for another size fails generation rather than deploy with a limit the broker would not match. On
 * Premium, queue and topic properties would carry `maxMessageSizeInKilobytes: entity.maxMessageSizeKilobytes`
 * (1024 to 102400).
 */
function requireStandardMessageSize(entity: QueueDefinition | TopicDefinition): void {
  if (entity.maxMessageSizeKilobytes === STANDARD_MAX_MESSAGE_SIZE_KILOBYTES) return;
  throw new Error(
    `${entity.kind} '${entity.name}' asks for ${entity.maxMessageSizeKilobytes} KB messages: ` +
      `the Standard tier fixes ${STANDARD_MAX_MESSAGE_SIZE_KILOBYTES} KB`,
  );
}

const queueProperties = (queue: QueueDefinition) => ({
  lockDuration: toIsoDuration(queue.lockDurationSeconds),
  maxDeliveryCount: queue.maxDeliveryCount,
  requiresSession: queue.requiresSession,
  requiresDuplicateDetection: queue.duplicateDetectionWindowSeconds > 0,
  ...(queue.duplicateDetectionWindowSeconds > 0
    ? { duplicateDetectionHistoryTimeWindow: toIsoDuration(queue.duplicateDetectionWindowSeconds) }
    : {}),
  defaultMessageTimeToLive: toIsoDuration(queue.defaultMessageTtlSeconds),
  deadLetteringOnMessageExpiration: queue.deadLetteringOnMessageExpiration,
});

const topicProperties = (topic: TopicDefinition) => ({
  requiresDuplicateDetection: topic.duplicateDetectionWindowSeconds > 0,
  ...(topic.duplicateDetectionWindowSeconds > 0
    ? { duplicateDetectionHistoryTimeWindow: toIsoDuration(topic.duplicateDetectionWindowSeconds) }
    : {}),
  defaultMessageTimeToLive: toIsoDuration(topic.defaultMessageTtlSeconds),
});

const subscriptionProperties = (subscription: SubscriptionDefinition) => ({
  lockDuration: toIsoDuration(subscription.lockDurationSeconds),
  maxDeliveryCount: subscription.maxDeliveryCount,
  requiresSession: subscription.requiresSession,
  defaultMessageTimeToLive: toIsoDuration(subscription.defaultMessageTtlSeconds),
  deadLetteringOnMessageExpiration: subscription.deadLetteringOnMessageExpiration,
});

/**
 * A subscription rule as `Microsoft.ServiceBus/namespaces/topics/subscriptions/rules` takes it. ARM spells the
 * subject `label` and the application properties `properties`.
 */
export const ruleProperties = (rule: SubscriptionRuleDefinition) => {
  const filter =
    'sql' in rule.filter
      ? { filterType: 'SqlFilter', sqlFilter: { sqlExpression: rule.filter.sql } }
      : {
          filterType: 'CorrelationFilter',
          correlationFilter: (({ subject, applicationProperties, ...rest }) => ({
            ...rest,
            ...(subject !== undefined ? { label: subject } : {}),
            ...(applicationProperties !== undefined ? { properties: applicationProperties } : {}),
          }))(rule.filter.correlation),
        };
  return { ...filter, ...(rule.action !== undefined ? { action: { sqlExpression: rule.action } } : {}) };
};

/** Every queue, topic and subscription (with its rules), with its ARM properties. */
export function serviceBusEntities(entities: readonly EntityDefinition[] = allEntities) {
  const queues = entities.filter((e): e is QueueDefinition => e.kind === 'queue');
  const topics = entities.filter((e): e is TopicDefinition => e.kind === 'topic');
  for (const entity of [...queues, ...topics]) requireStandardMessageSize(entity);
  return {
    $comment: `generated from shared/messaging/entities.ts by npm run bicep:entities; do not edit`,
    queues: queues.map((queue) => ({ name: queue.name, properties: queueProperties(queue) })),
    topics: topics.map((topic) => ({
      name: topic.name,
      properties: topicProperties(topic),
      subscriptions: topic.subscriptions.map((s) => ({
        name: s.name,
        properties: subscriptionProperties(s),
        rules: (s.rules ?? []).map((rule) => ({ name: rule.name, properties: ruleProperties(rule) })),
      })),
    })),
  };
}

/**
 * Every table, and every container with the anonymous access ARM names (`Blob` or `None`) and the parameter
 * whose number of days the deployment's lifecycle rule deletes its blobs after (`expiresAfter`, '' for none).
 */
export function storageEntities() {
  return {
    $comment: `generated from shared/storage/catalogue.ts by npm run bicep:entities; do not edit`,
    tables: allTables.map((table) => ({ name: table.name })),
    containers: allContainers.map((container) => ({
      name: container.name,
      publicAccess: container.publicAccess === 'blob' ? 'Blob' : 'None',
      expiresAfter: container.expiresAfter ?? '',
    })),
  };
}

/** The files as they should read, by path relative to the repository root. */
export function deploymentEntityFiles(): Record<string, string> {
  const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  return { [SERVICE_BUS_FILE]: text(serviceBusEntities()), [STORAGE_FILE]: text(storageEntities()) };
}

/** The files under `root` that differ from what the definitions give. */
export function staleDeploymentEntityFiles(root: string): string[] {
  return Object.entries(deploymentEntityFiles())
    .filter(([path, text]) => {
      try {
        return readFileSync(join(root, path), 'utf8') !== text;
      } catch {
        return true;
      }
    })
    .map(([path]) => path);
}

if (require.main === module) {
  const root = process.argv[2] ?? '.';
  for (const [path, text] of Object.entries(deploymentEntityFiles())) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    process.stdout.write(`${path}: written\n`);
  }
}

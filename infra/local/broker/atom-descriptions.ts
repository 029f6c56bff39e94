import { DEFAULT_MAX_MESSAGE_SIZE_BYTES } from './entity-config';
import type { EntityConfig, TopicConfig } from './entity-config';
import type { EntityCounts } from './entity-runtime';

/**
 * The ATOM documents of Service Bus's management API (api-version 2021-05), as `ServiceBusAdministrationClient`
 * reads them: an `<entry>` per entity with its `QueueDescription` / `TopicDescription` /
 * `SubscriptionDescription` (settings, then the runtime counts under `CountDetails`), and a `<feed>` of
 * entries for the lists. The client takes an entity's name from the entry's `<id>` URL.
 */

const SB_NS = 'http://schemas.microsoft.com/netservices/2010/10/servicebus/connect';
const COUNTS_NS = 'http://schemas.microsoft.com/netservices/2011/06/servicebus';
/** .NET's TimeSpan.MaxValue, what Service Bus reports for "never" (auto-delete, topic TTL). */
const NEVER = 'P10675199DT2H48M5.4775807S';
/** Service Bus's "not yet" for AccessedAt. */
const NOT_YET = '0001-01-01T00:00:00Z';

export interface EntityTimes {
  readonly createdAt: number;
  readonly accessedAt: number | undefined;
}

export interface AtomEntry {
  /** The entry's `<id>` and self link: `https://<host>/<path>?api-version=...`. */
  readonly url: string;
  readonly title: string;
  readonly content: string;
}

export function queueEntry(
  url: string,
  name: string,
  c: EntityConfig,
  n: EntityCounts,
  t: EntityTimes,
): AtomEntry {
  const fields = [
    el('LockDuration', duration(c.lockDurationMs)),
    el('MaxSizeInMegabytes', 1024),
    el('RequiresDuplicateDetection', c.duplicateDetectionWindowMs > 0),
    el('RequiresSession', c.requiresSession),
    el('DefaultMessageTimeToLive', duration(c.defaultTtlMs)),
    el('DeadLetteringOnMessageExpiration', c.deadLetterOnExpiration),
    el('DuplicateDetectionHistoryTimeWindow', duration(c.duplicateDetectionWindowMs)),
    el('MaxDeliveryCount', c.maxDeliveryCount),
    el('EnableBatchedOperations', true),
    el('SizeInBytes', n.sizeInBytes),
    el('MessageCount', n.total),
    el('IsAnonymousAccessible', false),
    '<AuthorizationRules/>',
    el('Status', 'Active'),
    ...times(t),
    el('SupportOrdering', true),
    countDetails(n),
    el('AutoDeleteOnIdle', NEVER),
    el('EnablePartitioning', false),
    el('EntityAvailabilityStatus', 'Available'),
    el('EnableExpress', false),
    el('MaxMessageSizeInKilobytes', kilobytes(c)),
  ];
  return { url, title: name, content: description('QueueDescription', fields) };
}

export function topicEntry(
  url: string,
  name: string,
  topic: TopicConfig,
  n: EntityCounts,
  t: EntityTimes,
): AtomEntry {
  const fields = [
    el('DefaultMessageTimeToLive', NEVER),
    el('MaxSizeInMegabytes', 1024),
    el('RequiresDuplicateDetection', topic.duplicateDetectionWindowMs > 0),
    el('DuplicateDetectionHistoryTimeWindow', duration(topic.duplicateDetectionWindowMs)),
    el('EnableBatchedOperations', true),
    el('SizeInBytes', n.sizeInBytes),
    el('FilteringMessagesBeforePublishing', false),
    el('IsAnonymousAccessible', false),
    '<AuthorizationRules/>',
    el('Status', 'Active'),
    ...times(t),
    el('SupportOrdering', true),
    countDetails(n),
    el('AutoDeleteOnIdle', NEVER),
    el('EnablePartitioning', false),
    el('IsExpress', false),
    el('EntityAvailabilityStatus', 'Available'),
    el('EnableSubscriptionPartitioning', false),
    el('EnableExpress', false),
    el('SubscriptionCount', topic.subscriptions.length),
    el('MaxMessageSizeInKilobytes', kilobytes(topic)),
  ];
  return { url, title: name, content: description('TopicDescription', fields) };
}

export function subscriptionEntry(
  url: string,
  name: string,
  c: EntityConfig,
  n: EntityCounts,
  t: EntityTimes,
): AtomEntry {
  const fields = [
    el('LockDuration', duration(c.lockDurationMs)),
    el('RequiresSession', c.requiresSession),
    el('DefaultMessageTimeToLive', duration(c.defaultTtlMs)),
    el('DeadLetteringOnMessageExpiration', c.deadLetterOnExpiration),
    el('DeadLetteringOnFilterEvaluationExceptions', true),
    el('MessageCount', n.total),
    el('MaxDeliveryCount', c.maxDeliveryCount),
    el('EnableBatchedOperations', true),
    el('Status', 'Active'),
    ...times(t),
    countDetails(n),
    el('AutoDeleteOnIdle', NEVER),
    el('EntityAvailabilityStatus', 'Available'),
  ];
  return { url, title: name, content: description('SubscriptionDescription', fields) };
}

/** One entity: what `GET /<path>` answers. */
export function entryDocument(entry: AtomEntry, updated: number): string {
  return `<?xml version="1.0" encoding="utf-8"?>${entryXml(entry, updated, true)}`;
}

/**
 * A list (or, with no entries, Service Bus's answer for an entity that does not exist: a feed with nothing
 * in it, which the client turns into its not-found error).
 */
export function feedDocument(
  url: string,
  title: string,
  entries: readonly AtomEntry[],
  updated: number,
): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">` +
    `<title type="text">${escape(title)}</title><id>${escape(url)}</id><updated>${iso(updated)}</updated>` +
    `<link rel="self" href="${escape(url)}"/>` +
    entries.map((e) => entryXml(e, updated, false)).join('') +
    `</feed>`
  );
}

/** The body of an HTTP error, as Service Bus words it: `<Error><Code>401</Code><Detail>...</Detail></Error>`. */
export function errorDocument(status: number, detail: string): string {
  return `<Error><Code>${status}</Code><Detail>${escape(detail)}</Detail></Error>`;
}

function entryXml(entry: AtomEntry, updated: number, root: boolean): string {
  const ns = root ? ' xmlns="http://www.w3.org/2005/Atom"' : '';
  return (
    `<entry${ns}><id>${escape(entry.url)}</id><title type="text">${escape(entry.title)}</title>` +
    `<published>${iso(updated)}</published><updated>${iso(updated)}</updated>` +
    `<link rel="self" href="${escape(entry.url)}"/>` +
    `<content type="application/xml">${entry.content}</content></entry>`
  );
}

function description(root: string, fields: readonly string[]): string {
  return `<${root} xmlns="${SB_NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance">${fields.join('')}</${root}>`;
}

function countDetails(n: EntityCounts): string {
  const d = (name: string, value: number): string => `<d2p1:${name}>${value}</d2p1:${name}>`;
  return (
    `<CountDetails xmlns:d2p1="${COUNTS_NS}">` +
    d('ActiveMessageCount', n.active) +
    d('DeadLetterMessageCount', n.deadLettered) +
    d('ScheduledMessageCount', n.scheduled) +
    d('TransferMessageCount', n.transfer) +
    d('TransferDeadLetterMessageCount', n.transferDeadLettered) +
    `</CountDetails>`
  );
}

function times(t: EntityTimes): string[] {
  return [
    el('CreatedAt', iso(t.createdAt)),
    el('UpdatedAt', iso(t.createdAt)),
    el('AccessedAt', t.accessedAt === undefined ? NOT_YET : iso(t.accessedAt)),
  ];
}

const el = (name: string, value: string | number | boolean): string =>
  `<${name}>${escape(String(value))}</${name}>`;

/** An ISO 8601 duration as Service Bus writes one (`PT1M`, `P1D`, `PT1.5S`); "never" for the unbounded. */
export function duration(ms: number): string {
  if (ms >= Number.MAX_SAFE_INTEGER / 2) return NEVER;
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  const seconds = (rest - minutes * 60_000) / 1000;
  const time = `${hours ? `${hours}H` : ''}${minutes ? `${minutes}M` : ''}${seconds ? `${seconds}S` : ''}`;
  if (!days && !time) return 'PT0S';
  return `P${days ? `${days}D` : ''}${time ? `T${time}` : ''}`;
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The entity's own size limit, as the broker enforces it. */
const kilobytes = (entity: { readonly maxMessageSizeBytes?: number }): number =>
  (entity.maxMessageSizeBytes ?? DEFAULT_MAX_MESSAGE_SIZE_BYTES) / 1024;

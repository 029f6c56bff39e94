import type { Message as AmqpMessage } from 'rhea';
import type { SqlMessageTarget } from './sql-filter/evaluator';
import type { PropertyRef, SqlValue } from './sql-filter/syntax';

/**
 * Where each settable system property lives in an AMQP message (Service Bus's mapping: Label is `subject`,
 * SessionId is `group-id`, ...). Other system properties can be read but an action cannot set them.
 */
const SYSTEM_FIELDS = {
  messageid: 'message_id',
  correlationid: 'correlation_id',
  to: 'to',
  replyto: 'reply_to',
  label: 'subject',
  sessionid: 'group_id',
  replytosessionid: 'reply_to_group_id',
  contenttype: 'content_type',
} as const satisfies Record<string, keyof AmqpMessage>;

const ANNOTATIONS: Record<string, string> = {
  scheduledenqueuetimeutc: 'x-opt-scheduled-enqueue-time',
  partitionkey: 'x-opt-partition-key',
  viapartitionkey: 'x-opt-via-partition-key',
};

/**
 * A topic message seen by a subscription's filters and actions, before it is enqueued: properties that only
 * exist once it is in the subscription (SequenceNumber, DeliveryCount, LockToken, ...) read as NULL, as does
 * any system property the sender did not set. An action writes to `message`, which must be the copy's own.
 */
export class RuleMessageView implements SqlMessageTarget {
  constructor(
    readonly message: AmqpMessage,
    private readonly enqueuedAt: number,
  ) {}

  system(name: string): SqlValue {
    if (name in SYSTEM_FIELDS)
      return sqlValue(this.message[SYSTEM_FIELDS[name as keyof typeof SYSTEM_FIELDS]]);
    if (name === 'enqueuedtimeutc') return new Date(this.enqueuedAt);
    if (name === 'timetolive') return typeof this.message.ttl === 'number' ? this.message.ttl : null;
    const annotation = ANNOTATIONS[name];
    if (annotation) return sqlValue(this.message.message_annotations?.[annotation]);
    return null;
  }

  user(name: string): SqlValue {
    const properties = this.message.application_properties ?? {};
    const key = keyOf(properties, name);
    return key === undefined ? undefined : sqlValue(properties[key]);
  }

  set(property: PropertyRef, value: SqlValue): void {
    if (property.scope === 'sys') {
      const field = SYSTEM_FIELDS[property.name.toLowerCase() as keyof typeof SYSTEM_FIELDS];
      if (field)
        (this.message as unknown as Record<string, unknown>)[field] =
          value === null ? undefined : String(value);
      return;
    }
    const properties = { ...(this.message.application_properties ?? {}) };
    properties[keyOf(properties, property.name) ?? property.name] = value;
    this.message.application_properties = properties;
  }

  remove(property: PropertyRef): void {
    if (property.scope === 'sys') {
      const field = SYSTEM_FIELDS[property.name.toLowerCase() as keyof typeof SYSTEM_FIELDS];
      if (field) delete (this.message as unknown as Record<string, unknown>)[field];
      return;
    }
    const properties = { ...(this.message.application_properties ?? {}) };
    const key = keyOf(properties, property.name);
    if (key !== undefined) delete properties[key];
    this.message.application_properties = properties;
  }
}

/** Property names are case-insensitive; an exact match wins. */
function keyOf(properties: Record<string, unknown>, name: string): string | undefined {
  if (name in properties) return name;
  const lower = name.toLowerCase();
  return Object.keys(properties).find((key) => key.toLowerCase() === lower);
}

/** Values the language compares; binary and other AMQP types read as unknown. */
function sqlValue(value: unknown): SqlValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return value.toString('hex');
  return undefined;
}

import { createHash } from 'node:crypto';
import { PipelineError } from '../errors';
import { eventCatalogue } from './catalogue';
import type { EventData, EventType } from './catalogue';

/**
 * One pipeline event as a producer makes it: its catalogue type, what it is about (`subject`), when it happened
 * and its data, checked against the catalogue. The instance that sent it is added when it becomes a CloudEvent
 * (`toCloudEvent`), so producers do not need to know where they run.
 */
export interface PipelineEventOf<T extends EventType> {
  /** Stable for the event: derived from its type and identity (`eventIdOf`). */
  readonly id: string;
  readonly type: T;
  readonly subject: string;
  /** RFC 3339 (ISO 8601 in UTC, as `Date.toISOString` writes it). */
  readonly time: string;
  readonly data: EventData<T>;
}

/** Any catalogue event (or any of `T`), discriminated by `type`, so narrowing the type narrows the data. */
export type PipelineEvent<T extends EventType = EventType> = { [K in T]: PipelineEventOf<K> }[T];

export interface PipelineEventFields<T extends EventType> {
  /**
   * What makes this event this event and no other (a build id and try, a repository and revision): the same
   * identity gives the same id, so a re-sent event is a duplicate, which the topic and receivers drop.
   */
  readonly identity: string;
  readonly subject: string;
  readonly time: string;
  readonly data: EventData<T>;
}

/**
 * `evt_` and 32 hex digits of SHA-256 over the type and identity. Hashed rather than spelled out because
 * identities hold full stops (`python3.12`, `plan.created`) and Standard Webhooks signs `id.timestamp.body`,
 * where an id must not contain one; also it keeps Service Bus message ids within their 128 characters.
 */
export function eventIdOf(type: EventType, identity: string): string {
  return `evt_${createHash('sha256').update(`${type}\n${identity}`).digest('hex').slice(0, 32)}`;
}

/**
 * The event of `type`, its data parsed with the catalogue schema (which also drops fields it does not
 * declare). A payload that does not fit throws `events.invalid-payload`, naming the type and the field.
 */
export function pipelineEvent<T extends EventType>(
  type: T,
  fields: PipelineEventFields<T>,
): PipelineEvent<T> {
  const parsed = eventCatalogue[type].data.safeParse(fields.data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `data.${issue.path.join('.')}` : 'data';
    throw PipelineError.permanent(
      'events.invalid-payload',
      `${type}: ${where}: ${issue?.message ?? 'does not fit the schema'}`,
      { type, subject: fields.subject },
    );
  }
  if (Number.isNaN(Date.parse(fields.time)))
    throw PipelineError.permanent('events.invalid-payload', `${type}: time "${fields.time}" is not a time`, {
      type,
      subject: fields.subject,
    });
  return {
    id: eventIdOf(type, fields.identity),
    type,
    subject: fields.subject,
    time: new Date(fields.time).toISOString(),
    data: parsed.data,
  } as PipelineEvent<T>;
}

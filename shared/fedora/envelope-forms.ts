import { z } from 'zod';
import type { UpstreamEvent } from './upstream-event';

/**
 * The three serialized forms a Fedora message reaches us in (research note §1.4), as zod schemas:
 *  - fedora-messaging wire message (AMQP delivery, `fedora-messaging` dump): `{id, topic, headers, body}`;
 *  - datagrepper v2 `raw_messages` item (`/v2/search`, `/v2/id`): the same plus `priority`, `queue`;
 *  - datagrepper v1 / fedmsg-era record (`/raw`, `/id`): `{msg_id?, topic, timestamp, msg, headers?, i, …}`.
 * Only what identifies and dates the message is required; everything else passes through untouched.
 */
export type SerializedForm = 'fedora-messaging' | 'datagrepper-v2' | 'datagrepper-v1';

/** AMQP caps a routing key (the topic) at 255 bytes; ids are UUIDs or `YYYY-<uuid>`. */
const messageId = z.string().min(1).max(255);
const topic = z.string().min(1).max(255);

/** A JSON object (not an array, not null), kept by reference: topic modules validate its content. */
const jsonObject = z.custom<Record<string, unknown>>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'expected a JSON object',
);

/** `sent-at`: ISO 8601, e.g. `2025-11-17T14:42:02+00:00`; parsed to ISO UTC (`…T14:42:02.000Z`). */
const sentAt = z
  .string()
  .max(64)
  .transform((value, ctx) => {
    const iso = isoUtc(value);
    if (iso === undefined)
      ctx.issues.push({ code: 'custom', message: 'expected an ISO 8601 date-time', input: value });
    return iso ?? '';
  });

/** fedmsg `timestamp`: float seconds since the epoch (1 s resolution in practice). */
const epochSeconds = z
  .number()
  .min(0)
  .max(253_402_300_799, 'timestamp after year 9999')
  .transform((seconds) => new Date(seconds * 1000).toISOString());

/** AMQP headers; `fedora_messaging_severity` and the rest are read without validation (see severityOf). */
const wireHeaders = z.looseObject({ 'sent-at': sentAt });

export const fedoraMessagingMessageSchema = z.looseObject({
  id: messageId,
  topic,
  headers: wireHeaders,
  body: jsonObject,
});

export const datagrepperV2MessageSchema = fedoraMessagingMessageSchema.extend({
  priority: z.number().int().nullable().optional(),
  queue: z.string().max(255).nullable().optional(),
});

export const datagrepperV1RecordSchema = z.looseObject({
  /** Absent or null in some fedmsg-era records: `readEnvelope` then derives one (derived-message-id.ts). */
  msg_id: messageId.nullish(),
  topic,
  timestamp: epochSeconds,
  msg: jsonObject,
  /** Stored AMQP headers (datanommer keeps them); `{}` or absent for fedmsg-era messages. */
  headers: z.looseObject({ 'sent-at': sentAt.optional() }).nullable().optional(),
});

const SEVERITIES: Record<number, UpstreamEvent['severity'] | undefined> = {
  10: 'debug',
  20: 'info',
  30: 'warning',
  40: 'error',
};

/** The `fedora_messaging_severity` header (10/20/30/40) by name; undefined when absent or unknown. */
export const severityOf = (header: unknown): UpstreamEvent['severity'] | undefined =>
  typeof header === 'number' ? SEVERITIES[header] : undefined;

const ISO_DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** An ISO 8601 date-time as ISO UTC; a missing offset means UTC (as datagrepper treats naive times). */
export function isoUtc(text: string): string | undefined {
  const match = ISO_DATE_TIME.exec(text);
  if (match === null) return undefined;
  const offset = match[3]?.toUpperCase() ?? 'Z';
  // Date.parse wants `Z` or `±hh:mm`; the header may say `±hh` or `±hhmm`.
  const zone =
    offset === 'Z' || offset.length === 6
      ? offset
      : offset.length === 3
        ? `${offset}:00`
        : `${offset.slice(0, 3)}:${offset.slice(3)}`;
  const millis = Date.parse(`${match[1]}T${match[2]}${zone}`);
  return Number.isFinite(millis) ? new Date(millis).toISOString() : undefined;
}

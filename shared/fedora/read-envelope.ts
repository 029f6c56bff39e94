import type { z } from 'zod';
import type { UpstreamEvent } from './upstream-event';
import type { SerializedForm } from './envelope-forms';
import {
  datagrepperV1RecordSchema,
  datagrepperV2MessageSchema,
  fedoraMessagingMessageSchema,
  severityOf,
} from './envelope-forms';
import { derivedMessageId } from './derived-message-id';
import { pollutionKey } from './pollution-keys';
import { formatPath } from './verdict';

/**
 * One message, whatever its serialized form: identity, time, severity header and the body to route. `id` is
 * the message's own, or for a v1 record without `msg_id` the one `derivedMessageId` gives (`derived-…`).
 */
export interface Envelope {
  readonly form: SerializedForm;
  readonly id: string;
  readonly topic: string;
  /** ISO UTC: the `sent-at` header, else (v1 records) `timestamp`. */
  readonly time: string;
  readonly severity: UpstreamEvent['severity'] | undefined;
  readonly body: Record<string, unknown>;
  /** Where the body sits in the input (`body`, or `msg` in a v1 record): the prefix of rejection paths. */
  readonly bodyKey: 'body' | 'msg';
}

export type EnvelopeResult =
  | { readonly ok: true; readonly envelope: Envelope }
  | {
      readonly ok: false;
      readonly id: string | undefined;
      readonly topic: string | undefined;
      readonly path: string;
      readonly reason: string;
    };

/**
 * Recognizes the form by its keys (`msg` / `msg_id`: v1 record, whose missing or null `msg_id` is derived; `queue` / `priority` next to `body`:
 * datagrepper v2; `body`: wire message) and validates it. Never throws for a JSON value; the caller guards
 * against exotic objects (throwing getters, proxies).
 */
export function readEnvelope(input: unknown): EnvelopeResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return failed(input, '', `expected a message object, got ${describe(input)}`);
  }
  const record = input as Record<string, unknown>;
  const polluted =
    pollutionKey(record, '') ??
    pollutionKey(record.headers, 'headers.') ??
    pollutionKey(record.body, 'body.') ??
    pollutionKey(record.msg, 'msg.');
  if (polluted !== undefined)
    return failed(record, polluted, `${polluted}: prototype-pollution key not allowed`);
  if (Object.hasOwn(record, 'msg') || Object.hasOwn(record, 'msg_id')) {
    const parsed = datagrepperV1RecordSchema.safeParse(record);
    if (!parsed.success) return failedBy(record, parsed.error);
    const { msg_id, topic, timestamp, msg, headers } = parsed.data;
    // The schema made `timestamp` an ISO time; the id is derived from the number as recorded.
    const recorded = record.timestamp as number;
    return {
      ok: true,
      envelope: {
        form: 'datagrepper-v1',
        id: msg_id ?? derivedMessageId({ topic, timestamp: recorded, msg }),
        topic,
        time: headers?.['sent-at'] ?? timestamp,
        severity: severityOf(headers?.fedora_messaging_severity),
        body: msg,
        bodyKey: 'msg',
      },
    };
  }
  if (!Object.hasOwn(record, 'body')) {
    return failed(
      record,
      '',
      'not a Fedora message: expected {id, topic, headers, body} or a datagrepper v1 record {msg_id?, topic, timestamp, msg}',
    );
  }
  const v2 = Object.hasOwn(record, 'queue') || Object.hasOwn(record, 'priority');
  const parsed = (v2 ? datagrepperV2MessageSchema : fedoraMessagingMessageSchema).safeParse(record);
  if (!parsed.success) return failedBy(record, parsed.error);
  const { id, topic, headers, body } = parsed.data;
  return {
    ok: true,
    envelope: {
      form: v2 ? 'datagrepper-v2' : 'fedora-messaging',
      id,
      topic,
      time: headers['sent-at'],
      severity: severityOf(headers.fedora_messaging_severity),
      body,
      bodyKey: 'body',
    },
  };
}

function failedBy(record: Record<string, unknown>, error: z.ZodError): EnvelopeResult {
  const [first] = error.issues;
  const path = first === undefined ? '' : formatPath(first.path);
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem(s))` : '';
  return failed(record, path, `${path === '' ? 'message' : path}: ${first?.message ?? 'invalid'}${more}`);
}

/** A rejection that still names the message's id and topic when they are readable. */
function failed(input: unknown, path: string, reason: string): EnvelopeResult {
  const record = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const id = readableString(record.id) ?? readableString(record.msg_id);
  return { ok: false, id, topic: readableString(record.topic), path, reason };
}

const readableString = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= 255 ? value : undefined;

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

import { jsonHeaders } from './amqp-headers';
import type { JsonObject, JsonValue } from './amqp-headers';

/**
 * Turns an AMQP delivery into the fedora-messaging wire form the IngestSink reads: `{ id, topic, headers, body }`
 * (what fedora-messaging's `get_message` builds from a delivery, and what datagrepper /v2 returns):
 * - `id`      = the AMQP `message_id` property (a UUID; fedora-messaging keeps the id nowhere else — there is no
 *               id header, see the research note §1.1/1.2 and fedora-messaging `Message.id`);
 * - `topic`   = the routing key (the full topic, prefix included);
 * - `headers` = the AMQP header table, made JSON-safe (`amqp-headers.ts`);
 * - `body`    = the content, decoded as UTF-8 and parsed as JSON (fedora-messaging always sends UTF-8 JSON).
 *
 * A delivery that is not a valid fedora-messaging message (no `message_id`, content not UTF-8, content not
 * JSON) is NOT dropped here: it becomes an `UnparsedDelivery` carrying what could be read plus a
 * `bridgeProblem` (reason and, for undecodable content, the raw bytes as text or base64, at most 64 KiB).
 * It is handed to the sink like any message, which rejects it and quarantines the record, so the bad input
 * stays inspectable and the AMQP message is acknowledged only once the sink has it.
 */
export interface FedoraWireMessage {
  readonly id: string;
  readonly topic: string;
  readonly headers: JsonObject;
  readonly body: JsonValue;
}

export type UnparsedReason = 'missing-id' | 'body-not-utf8' | 'body-not-json';

export interface UnparsedDelivery {
  readonly id?: string;
  readonly topic: string;
  readonly headers: JsonObject;
  /** Present when the content was JSON (the `missing-id` case). */
  readonly body?: JsonValue;
  readonly bridgeProblem: {
    readonly reason: UnparsedReason;
    readonly detail: string;
    readonly contentType?: string;
    readonly contentEncoding?: string;
    /** Size of the AMQP content in bytes. */
    readonly bytes: number;
    /** The content when it was UTF-8 (`body-not-json`), else `base64`; cut at `RAW_CONTENT_LIMIT` bytes. */
    readonly text?: string;
    readonly base64?: string;
    readonly truncated?: boolean;
  };
}

export type BridgeRecord = FedoraWireMessage | UnparsedDelivery;

/** The part of an amqplib `Message` this module reads. */
export interface AmqpDelivery {
  readonly content: Buffer;
  readonly fields: { readonly routingKey: string };
  readonly properties: {
    readonly messageId?: unknown;
    readonly headers?: Record<string, unknown>;
    readonly contentType?: unknown;
    readonly contentEncoding?: unknown;
  };
}

export const RAW_CONTENT_LIMIT = 64 * 1024;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function toBridgeRecord(delivery: AmqpDelivery): BridgeRecord {
  const { messageId } = delivery.properties;
  const id = typeof messageId === 'string' && messageId !== '' ? messageId : undefined;
  const topic = delivery.fields.routingKey;
  const headers = jsonHeaders(delivery.properties.headers);
  const base = { ...(id === undefined ? {} : { id }), topic, headers };
  const about = {
    ...optionalString('contentType', delivery.properties.contentType),
    ...optionalString('contentEncoding', delivery.properties.contentEncoding),
    bytes: delivery.content.length,
  };

  let text: string;
  try {
    text = utf8.decode(delivery.content);
  } catch {
    const raw = delivery.content.subarray(0, RAW_CONTENT_LIMIT);
    const detail = 'the content is not UTF-8';
    const truncated = delivery.content.length > RAW_CONTENT_LIMIT;
    const problem = { reason: 'body-not-utf8' as const, detail, ...about, base64: raw.toString('base64') };
    return { ...base, bridgeProblem: { ...problem, ...(truncated ? { truncated } : {}) } };
  }
  let body: JsonValue;
  try {
    body = JSON.parse(text) as JsonValue;
  } catch (error) {
    const detail = `the content is not JSON: ${(error as Error).message}`;
    const truncated = delivery.content.length > RAW_CONTENT_LIMIT;
    const shown = truncated ? cutUtf8(delivery.content, RAW_CONTENT_LIMIT) : text;
    const problem = { reason: 'body-not-json' as const, detail, ...about, text: shown };
    return { ...base, bridgeProblem: { ...problem, ...(truncated ? { truncated } : {}) } };
  }
  if (id === undefined) {
    const detail = 'the AMQP message has no message_id property';
    return { ...base, body, bridgeProblem: { reason: 'missing-id', detail, ...about } };
  }
  return { id, topic, headers, body };
}

export function isUnparsed(record: BridgeRecord): record is UnparsedDelivery {
  return 'bridgeProblem' in record;
}

function optionalString<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

/** The first `limit` bytes as text, without splitting a multi-byte character. */
function cutUtf8(content: Buffer, limit: number): string {
  let end = limit;
  // Step back over continuation bytes (10xxxxxx) to the start of the character that crosses the limit.
  while (end > 0 && ((content[end] ?? 0) & 0xc0) === 0x80) end -= 1;
  return content.subarray(0, end).toString('utf8');
}

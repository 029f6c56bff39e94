import { PipelineError } from '../errors';
import type { WebhookSecretSet } from './secret-rotation';
import { signingSecrets } from './secret-rotation';
import { webhookSignatureHeader, webhookTimestamp } from './webhook-signature';

/**
 * The HTTP request one delivery attempt sends, built without sending it: the HTTP client (with its SSRF
 * checks) sends `body` as it is, byte for byte, because the signature covers those bytes.
 */
export interface WebhookDeliveryRequest {
  readonly method: 'POST';
  /** Lower-case names. No `content-length`: the client sets it from `body`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The exact bytes that were signed. */
  readonly body: Uint8Array;
}

/**
 * A CloudEvent 1.0 in its JSON form (structured mode), as the event catalogue makes it: the required
 * attributes typed, everything else (`time`, `subject`, `datacontenttype`, `data`, extensions) passed through.
 */
export interface StructuredCloudEvent {
  readonly specversion: string;
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly [attribute: string]: unknown;
}

/**
 * What a subscription receives. `cloudevents`: the event in structured mode, signed (Standard Webhooks).
 * The chat formats of issue 17 (`slack`, `teams`) come in as further members: each renders its own body and
 * content type in `buildDeliveryRequest`'s switch, and sends no signature headers where the receiver would
 * reject them (the issue's "Chat formats"); retries, `webhook-id` and the delivery log stay the same.
 */
export type DeliveryFormat = 'cloudevents';

export interface DeliveryRequestInput {
  readonly event: StructuredCloudEvent;
  readonly secrets: WebhookSecretSet;
  /** When this attempt is made: `webhook-timestamp`, and which secrets still sign. */
  readonly attemptAt: Date;
  /** The pipeline's version, for `user-agent: azl-rebuilder-webhooks/<version>`. */
  readonly senderVersion: string;
  readonly format?: DeliveryFormat;
}

export const cloudEventsJsonContentType = 'application/cloudevents+json; charset=utf-8';

export function webhookUserAgent(senderVersion: string): string {
  return `azl-rebuilder-webhooks/${senderVersion}`;
}

/**
 * Checks `id` can be a `webhook-id`: printable ASCII with no space (it is an HTTP header value) and no `.`
 * (the spec: a `.` in the id would let `id.timestamp.body` be split another way, so ids must not have one).
 */
export function deliverableWebhookId(id: unknown): string {
  if (typeof id !== 'string' || !/^[\x21-\x7e]+$/.test(id) || id.includes('.'))
    throw PipelineError.permanent(
      'webhook.invalid-event',
      'a CloudEvent id cannot be a webhook-id: it must be printable ASCII with no space and no full stop',
      { id: typeof id === 'string' ? id.slice(0, 200) : null },
    );
  return id;
}

/**
 * The request that delivers `event` to one endpoint at `attemptAt`: POST, the event serialised once as
 * UTF-8 JSON, `webhook-id` = the event id (so every retry carries the same one, the receiver's idempotency
 * key), `webhook-timestamp` = this attempt, and one `v1` signature per secret that signs at that time.
 */
export function buildDeliveryRequest(input: DeliveryRequestInput): WebhookDeliveryRequest {
  const format: DeliveryFormat = input.format ?? 'cloudevents';
  switch (format) {
    case 'cloudevents':
      return signedCloudEvent(input);
  }
}

function signedCloudEvent(input: DeliveryRequestInput): WebhookDeliveryRequest {
  const id = deliverableWebhookId(input.event.id);
  const timestamp = webhookTimestamp(input.attemptAt);
  const body = new TextEncoder().encode(JSON.stringify(input.event));
  return {
    method: 'POST',
    headers: {
      'content-type': cloudEventsJsonContentType,
      'user-agent': webhookUserAgent(input.senderVersion),
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': webhookSignatureHeader(signingSecrets(input.secrets, input.attemptAt), {
        id,
        timestamp,
        body,
      }),
    },
    body,
  };
}

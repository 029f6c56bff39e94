import { PipelineError } from '../errors';
import { chatRequestBody } from './chat';
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
 * `slack`: a Slack incoming-webhook message (Mattermost and Rocket.Chat take the same); `teams`: an Adaptive
 * Card in the envelope Microsoft Teams workflows take (`chat/`). Retries, `webhook-id` and the delivery log
 * are the same for all three.
 */
export type DeliveryFormat = 'cloudevents' | 'slack' | 'teams';

export interface DeliveryRequestInput {
  readonly event: StructuredCloudEvent;
  readonly secrets: WebhookSecretSet;
  /** When this attempt is made: `webhook-timestamp`, and which secrets still sign. */
  readonly attemptAt: Date;
  /** The pipeline's version, for `user-agent: azl-rebuilder-webhooks/<version>`. */
  readonly senderVersion: string;
  readonly format?: DeliveryFormat;
  /** The pipeline's public base URL (`settings.webhooks.publicUrl`): chat messages link to the status API under it. */
  readonly publicUrl?: string;
}

export const cloudEventsJsonContentType = 'application/cloudevents+json; charset=utf-8';
/** Chat bodies: JSON, which is UTF-8 by definition (RFC 8259), as Slack's and Teams' examples send it. */
export const chatJsonContentType = 'application/json';

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
    case 'slack':
    case 'teams':
      return chatMessage(input, format);
  }
}

/**
 * A chat message: the body rendered for the chat service, `webhook-id` kept (a header the receiver ignores,
 * and the delivery log's key), and no `webhook-timestamp` or `webhook-signature`. A chat webhook authenticates
 * the sender by its secret URL (Slack's and Mattermost's hook URLs; a Teams workflow URL carries its own SAS
 * `sig` parameter); none of them verifies a Standard Webhooks signature, so one would add nothing but a
 * header a receiver may log. The subscription's secret then signs nothing, and never leaves the pipeline.
 */
function chatMessage(input: DeliveryRequestInput, format: 'slack' | 'teams'): WebhookDeliveryRequest {
  const id = deliverableWebhookId(input.event.id);
  return {
    method: 'POST',
    headers: {
      'content-type': chatJsonContentType,
      'user-agent': webhookUserAgent(input.senderVersion),
      'webhook-id': id,
    },
    body: chatRequestBody(format, input.event, input.publicUrl),
  };
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

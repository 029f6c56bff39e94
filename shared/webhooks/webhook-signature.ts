import { createHmac } from 'node:crypto';
import type { WebhookSecret } from './webhook-secret';
import { webhookSecretKey } from './webhook-secret';

/**
 * Standard Webhooks symmetric signatures (spec 1.0.0, "Signature scheme"): `v1,` + the base64 of
 * HMAC-SHA256, keyed with the secret's decoded bytes, over `{webhook-id}.{webhook-timestamp}.{body}` where
 * the body is the exact bytes sent. Signed here with node:crypto (a pure computation, as the domain's other
 * hashes are) rather than with the `standardwebhooks` package: the tests then verify with that package, an
 * implementation independent of this one, which is what a receiver does.
 */
export interface SignedContent {
  /** `webhook-id`: the CloudEvent id, the same on every attempt; no `.` (see `deliverableWebhookId`). */
  readonly id: string;
  /** `webhook-timestamp`: integer Unix seconds of this attempt. */
  readonly timestamp: number;
  /** The exact body bytes sent. */
  readonly body: Uint8Array;
}

/** The identifier Standard Webhooks puts before a symmetric (HMAC-SHA256) signature. */
export const symmetricSignatureVersion = 'v1';

/** `webhook-timestamp` for an attempt at `at`: whole seconds since the epoch, rounded down. */
export function webhookTimestamp(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

/** One signature, `v1,<base64>`. */
export function signWebhook(secret: WebhookSecret, content: SignedContent): string {
  const mac = createHmac('sha256', webhookSecretKey(secret))
    .update(`${content.id}.${content.timestamp}.`, 'utf8')
    .update(content.body)
    .digest('base64');
  return `${symmetricSignatureVersion},${mac}`;
}

/** `webhook-signature`: one signature per secret, space-separated, in the order given. */
export function webhookSignatureHeader(secrets: readonly WebhookSecret[], content: SignedContent): string {
  return secrets.map((secret) => signWebhook(secret, content)).join(' ');
}

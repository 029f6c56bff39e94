import { z } from 'zod';
import { PipelineError } from '../errors';

/**
 * A Standard Webhooks signing secret (spec 1.0.0, "Signature scheme"): random key bytes, 24 to 64 of them,
 * shown to people as `whsec_` + their standard base64 (padded). The receiver pastes that text into its
 * verifier (the `standardwebhooks` libraries take it as it is), so the text is the secret's one form:
 * stored, compared and handed to `webhookSecretKey` for signing. It is a credential: show it once (at
 * creation or rotation), never in a list, a log or a status answer.
 */
export type WebhookSecret = string & { readonly __brand: 'WebhookSecret' };

export const webhookSecretPrefix = 'whsec_';

/** How many random key bytes a secret may have (the spec: at least 192 bits, at most 512). */
export const webhookSecretBytes = { min: 24, max: 64 } as const;

/** The key length this pipeline generates: 256 bits, as many as an HMAC-SHA256 output has. */
export const generatedSecretBytes = 32;

/** A source of cryptographically random bytes (infra passes node:crypto's `randomBytes`). */
export type RandomBytes = (length: number) => Uint8Array;

const canonicalBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function invalid(reason: string): PipelineError {
  // The text itself stays out of the error: it may be a real secret with a typo.
  return PipelineError.permanent('webhook.invalid-secret', `not a webhook secret: ${reason}`);
}

/**
 * Checks `text` is `whsec_` + canonical padded base64 of 24 to 64 bytes. Lenient decoders (Node's Buffer)
 * skip stray characters; a secret that only they read would sign with other bytes than a strict receiver's,
 * so anything but the canonical form is refused.
 */
export function parseWebhookSecret(text: string): WebhookSecret {
  if (!text.startsWith(webhookSecretPrefix)) throw invalid(`it does not start with ${webhookSecretPrefix}`);
  const encoded = text.slice(webhookSecretPrefix.length);
  if (!canonicalBase64.test(encoded)) throw invalid('the part after the prefix is not padded base64');
  const length = Buffer.from(encoded, 'base64').length;
  if (length < webhookSecretBytes.min || length > webhookSecretBytes.max)
    throw invalid(`its key has ${length} bytes, not ${webhookSecretBytes.min} to ${webhookSecretBytes.max}`);
  return text as WebhookSecret;
}

/** The secret of `key` (24 to 64 bytes). */
export function formatWebhookSecret(key: Uint8Array): WebhookSecret {
  return parseWebhookSecret(webhookSecretPrefix + Buffer.from(key).toString('base64'));
}

/** A new secret of `length` bytes from `randomBytes`; the caller picks the source, so this stays pure. */
export function generateWebhookSecret(
  randomBytes: RandomBytes,
  length: number = generatedSecretBytes,
): WebhookSecret {
  const key = randomBytes(length);
  if (key.length !== length) throw invalid(`the random source gave ${key.length} bytes, not ${length}`);
  return formatWebhookSecret(key);
}

/** The HMAC key: the bytes the base64 after `whsec_` encodes (the spec decodes the secret before use). */
export function webhookSecretKey(secret: WebhookSecret): Buffer {
  return Buffer.from(secret.slice(webhookSecretPrefix.length), 'base64');
}

/** A stored or submitted secret, read with `parseWebhookSecret` (its error message names the rule broken). */
export const webhookSecretSchema = z.string().transform((text, context) => {
  try {
    return parseWebhookSecret(text);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

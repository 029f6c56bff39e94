import { randomBytes } from 'node:crypto';
import type { WebhookSecret } from '../../shared/webhooks/webhook-secret';
import { generateWebhookSecret, generatedSecretBytes } from '../../shared/webhooks/webhook-secret';

/** A new endpoint secret from the operating system's CSPRNG: `whsec_` + base64 of 32 random bytes. */
export function randomWebhookSecret(length: number = generatedSecretBytes): WebhookSecret {
  return generateWebhookSecret((count) => randomBytes(count), length);
}

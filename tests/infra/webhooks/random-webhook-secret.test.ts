import { describe, expect, test } from 'vitest';
import { randomWebhookSecret } from '../../../infra/webhooks/random-webhook-secret';
import { parseWebhookSecret, webhookSecretKey } from '../../../shared/webhooks/webhook-secret';

describe('randomWebhookSecret', () => {
  test('makes valid secrets of 32 bytes by default, and of the length asked for', () => {
    const secret = randomWebhookSecret();
    expect(parseWebhookSecret(secret)).toBe(secret);
    expect(webhookSecretKey(secret)).toHaveLength(32);
    expect(webhookSecretKey(randomWebhookSecret(64))).toHaveLength(64);
  });

  test('never makes the same secret twice in a thousand', () => {
    const secrets = new Set(Array.from({ length: 1000 }, () => randomWebhookSecret()));
    expect(secrets.size).toBe(1000);
  });
});

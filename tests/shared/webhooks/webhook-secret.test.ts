import { describe, expect, test } from 'vitest';
import { Webhook } from 'standardwebhooks';
import {
  formatWebhookSecret,
  generateWebhookSecret,
  parseWebhookSecret,
  webhookSecretKey,
  webhookSecretSchema,
} from '../../../shared/webhooks/webhook-secret';
import { thrownPipelineError } from '../../../testing/failures';
import { mulberry32 } from '../../../testing/seeded-random';

/** A deterministic byte source (not random enough for real secrets: only for shapes and lengths). */
function seededBytes(seed: number): (length: number) => Uint8Array {
  const next = mulberry32(seed);
  return (length) => Uint8Array.from({ length }, () => Math.floor(next() * 256));
}

/** The Standard Webhooks reference library's test secret (24 bytes). */
const specSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('webhook secrets', () => {
  test('a generated secret is whsec_ and the padded base64 of the bytes the source gave', () => {
    const bytes = seededBytes(7)(32);
    const secret = generateWebhookSecret(() => bytes);
    expect(secret).toBe(`whsec_${Buffer.from(bytes).toString('base64')}`);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect([...webhookSecretKey(secret)]).toEqual([...bytes]);
  });

  test('generates any length from 24 to 64 bytes and refuses the lengths outside', () => {
    for (const length of [24, 25, 32, 63, 64])
      expect(webhookSecretKey(generateWebhookSecret(seededBytes(length), length))).toHaveLength(length);
    for (const length of [0, 16, 23, 65, 128])
      thrownPipelineError(() => generateWebhookSecret(seededBytes(length), length), 'webhook.invalid-secret');
  });

  test('refuses a random source that gives fewer bytes than asked for', () => {
    const error = thrownPipelineError(
      () => generateWebhookSecret(() => new Uint8Array(16), 32),
      'webhook.invalid-secret',
    );
    expect(error.message).toContain('16 bytes');
  });

  test('parses the reference library test secret, and its key is what that library signs with', () => {
    const secret = parseWebhookSecret(specSecret);
    expect(webhookSecretKey(secret)).toHaveLength(24);
    const viaRawKey = new Webhook(webhookSecretKey(secret), { format: 'raw' });
    const viaText = new Webhook(specSecret);
    const at = new Date(1_614_265_330_000);
    expect(viaRawKey.sign('msg_1', at, '{}')).toBe(viaText.sign('msg_1', at, '{}'));
  });

  test.each([
    ['no prefix', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_'],
    ['another prefix', 'whsk_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_'],
    ['stray characters', 'whsec_MfKQ9r8GKYqrTwjUPD8I LPZIo2LaLaSw', 'base64'],
    ['base64url', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLa_-', 'base64'],
    ['missing padding', `whsec_${Buffer.alloc(25, 1).toString('base64').replace(/=+$/, '')}`, 'base64'],
    ['empty', 'whsec_', '0 bytes'],
    ['too short (23 bytes)', `whsec_${Buffer.alloc(23, 1).toString('base64')}`, '23 bytes'],
    ['too long (65 bytes)', `whsec_${Buffer.alloc(65, 1).toString('base64')}`, '65 bytes'],
  ])('refuses %s, naming the rule and not the text', (_case, text, reason) => {
    const error = thrownPipelineError(() => parseWebhookSecret(text), 'webhook.invalid-secret');
    expect(error.message).toContain(reason);
    if (text.length > 'whsec_'.length + 4) expect(error.message).not.toContain(text.slice(6, 20));
  });

  test('formatting a key and parsing the text give the same secret back', () => {
    const key = seededBytes(3)(48);
    const secret = formatWebhookSecret(key);
    expect(parseWebhookSecret(secret)).toBe(secret);
  });

  test('the schema reads a valid secret and reports an invalid one as an issue', () => {
    expect(webhookSecretSchema.parse(specSecret)).toBe(specSecret);
    const result = webhookSecretSchema.safeParse('whsec_short');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('not a webhook secret');
  });
});

import { describe, expect, test } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { parseWebhookSecret } from '../../../shared/webhooks/webhook-secret';
import {
  signWebhook,
  webhookSignatureHeader,
  webhookTimestamp,
} from '../../../shared/webhooks/webhook-signature';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The test vector of the Standard Webhooks reference library (libraries/javascript/src/webhook.test.ts). */
const vector = {
  secret: parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'),
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signatures', () => {
  test("the spec's test vector", () => {
    expect(
      signWebhook(vector.secret, { id: vector.id, timestamp: vector.timestamp, body: utf8(vector.body) }),
    ).toBe(vector.signature);
  });

  test('agree with the reference library over bytes that are not ASCII', () => {
    const body = utf8(JSON.stringify({ summary: 'kernel — ünïcödé ✓ 🐧', n: 1 }));
    const at = new Date('2026-12-06T07:00:00.999Z');
    expect(signWebhook(vector.secret, { id: 'evt_1', timestamp: webhookTimestamp(at), body })).toBe(
      new Webhook(vector.secret).sign('evt_1', at, body),
    );
  });

  test('the timestamp is whole Unix seconds, rounded down', () => {
    expect(webhookTimestamp(new Date(1_614_265_330_999))).toBe(1614265330);
    expect(webhookTimestamp(new Date(0))).toBe(0);
  });

  test('the header has one signature per secret, in order, each verifiable alone', () => {
    const other = parseWebhookSecret(`whsec_${Buffer.alloc(32, 9).toString('base64')}`);
    const content = { id: vector.id, timestamp: vector.timestamp, body: utf8(vector.body) };
    const header = webhookSignatureHeader([other, vector.secret], content);
    expect(header.split(' ')).toEqual([signWebhook(other, content), vector.signature]);
  });

  test('every part of the signed content changes the signature', () => {
    const base = { id: vector.id, timestamp: vector.timestamp, body: utf8(vector.body) };
    const variants = [
      { ...base, id: `${vector.id}x` },
      { ...base, timestamp: vector.timestamp + 1 },
      { ...base, body: utf8('{"test": 2432232315}') },
    ];
    for (const variant of variants) expect(signWebhook(vector.secret, variant)).not.toBe(vector.signature);
  });
});

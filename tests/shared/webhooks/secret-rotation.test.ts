import { describe, expect, test } from 'vitest';
import {
  defaultRotationGraceMs,
  maxPreviousSecrets,
  newSecretSet,
  rotateSecret,
  signingSecrets,
  webhookSecretSetSchema,
} from '../../../shared/webhooks/secret-rotation';
import type { WebhookSecret } from '../../../shared/webhooks/webhook-secret';
import { formatWebhookSecret } from '../../../shared/webhooks/webhook-secret';

const secret = (fill: number): WebhookSecret => formatWebhookSecret(new Uint8Array(32).fill(fill));
const [first, second, third] = [secret(1), secret(2), secret(3)];
const t0 = new Date('2026-12-01T10:00:00Z');
const after = (ms: number) => new Date(t0.getTime() + ms);
const hour = 3_600_000;

describe('secret rotation', () => {
  test('a new endpoint signs with its one secret', () => {
    expect(signingSecrets(newSecretSet(first), t0)).toEqual([first]);
  });

  test('after a rotation both sign, the new one first, until the grace period ends; then only the new one', () => {
    const rotated = rotateSecret(newSecretSet(first), second, t0, 2 * hour);
    expect(rotated.current).toBe(second);
    expect(signingSecrets(rotated, t0)).toEqual([second, first]);
    expect(signingSecrets(rotated, after(2 * hour - 1))).toEqual([second, first]);
    expect(signingSecrets(rotated, after(2 * hour))).toEqual([second]);
  });

  test('the default grace period is a day', () => {
    const rotated = rotateSecret(newSecretSet(first), second, t0);
    expect(rotated.previous).toEqual([
      { secret: first, validUntil: after(defaultRotationGraceMs).toISOString() },
    ]);
    expect(defaultRotationGraceMs).toBe(24 * hour);
  });

  test('a grace period of 0 stops the replaced secret at once (a leaked secret)', () => {
    const rotated = rotateSecret(newSecretSet(first), second, t0, 0);
    expect(signingSecrets(rotated, t0)).toEqual([second]);
    expect(rotated.previous).toEqual([]);
  });

  test('rotating twice within the grace period keeps both replaced secrets, newest first', () => {
    const once = rotateSecret(newSecretSet(first), second, t0, 10 * hour);
    const twice = rotateSecret(once, third, after(hour), 10 * hour);
    expect(signingSecrets(twice, after(2 * hour))).toEqual([third, second, first]);
    expect(signingSecrets(twice, after(10 * hour))).toEqual([third, second]);
    expect(signingSecrets(twice, after(11 * hour))).toEqual([third]);
  });

  test('a rotation drops the replaced secrets that expired', () => {
    const once = rotateSecret(newSecretSet(first), second, t0, hour);
    const twice = rotateSecret(once, third, after(2 * hour), hour);
    expect(twice.previous.map((retired) => retired.secret)).toEqual([second]);
  });

  test(`a burst of rotations keeps at most ${maxPreviousSecrets} replaced secrets, the newest`, () => {
    let set = newSecretSet(secret(0));
    for (let n = 1; n <= 6; n++) set = rotateSecret(set, secret(n), after(n * 1000));
    expect(signingSecrets(set, after(7000))).toEqual([secret(6), secret(5), secret(4), secret(3)]);
  });

  test('the set survives JSON and the schema, and the schema refuses an invalid secret or time', () => {
    const set = rotateSecret(newSecretSet(first), second, t0);
    expect(webhookSecretSetSchema.parse(JSON.parse(JSON.stringify(set)))).toEqual(set);
    expect(webhookSecretSetSchema.safeParse({ current: 'whsec_x', previous: [] }).success).toBe(false);
    expect(
      webhookSecretSetSchema.safeParse({ current: first, previous: [{ secret: second, validUntil: 'soon' }] })
        .success,
    ).toBe(false);
  });
});

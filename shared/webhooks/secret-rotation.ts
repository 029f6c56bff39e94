import { z } from 'zod';
import type { WebhookSecret } from './webhook-secret';
import { webhookSecretSchema } from './webhook-secret';

/**
 * The secrets of one endpoint, for zero-downtime rotation (Standard Webhooks, "Webhook headers"): rotating
 * makes a new `current` secret, and the one it replaces keeps signing beside it until its `validUntil`, so a
 * receiver that still verifies with the old secret loses no delivery while it switches. Pure data with ISO
 * times, so it is stored (Tables, JSON) as it is.
 */
export interface WebhookSecretSet {
  readonly current: WebhookSecret;
  /** Secrets replaced by a rotation, newest first; each signs until its `validUntil` (exclusive). */
  readonly previous: readonly RetiredWebhookSecret[];
}

export interface RetiredWebhookSecret {
  readonly secret: WebhookSecret;
  /** ISO 8601: the first instant it no longer signs. */
  readonly validUntil: string;
}

/** How long a replaced secret keeps signing by default: a day, as long as the first retries of a delivery. */
export const defaultRotationGraceMs = 24 * 60 * 60 * 1000;

/**
 * At most this many replaced secrets sign beside the current one. Rotating again within the grace period
 * keeps the newest ones, so a burst of rotations cannot grow `webhook-signature` without bound; the oldest
 * one leaving early is what the person rotating that often asked for.
 */
export const maxPreviousSecrets = 3;

export const webhookSecretSetSchema = z.object({
  current: webhookSecretSchema,
  previous: z
    .array(z.object({ secret: webhookSecretSchema, validUntil: z.string().datetime({ offset: true }) }))
    .max(maxPreviousSecrets),
});

/** A set with one secret and nothing retired: an endpoint just created. */
export function newSecretSet(current: WebhookSecret): WebhookSecretSet {
  return { current, previous: [] };
}

/** The secrets that sign a delivery attempted at `at`: the current one first, then the still-valid previous. */
export function signingSecrets(set: WebhookSecretSet, at: Date): WebhookSecret[] {
  return [set.current, ...stillValid(set.previous, at).map((retired) => retired.secret)];
}

/**
 * `set` after rotating to `next` at `at`: `next` becomes current; the secret it replaces signs for
 * `graceMs` more (0: it stops at once, for a leaked secret). Expired secrets are dropped.
 */
export function rotateSecret(
  set: WebhookSecretSet,
  next: WebhookSecret,
  at: Date,
  graceMs: number = defaultRotationGraceMs,
): WebhookSecretSet {
  const replaced: RetiredWebhookSecret[] =
    graceMs > 0 ? [{ secret: set.current, validUntil: new Date(at.getTime() + graceMs).toISOString() }] : [];
  return {
    current: next,
    previous: [...replaced, ...stillValid(set.previous, at)].slice(0, maxPreviousSecrets),
  };
}

function stillValid(previous: readonly RetiredWebhookSecret[], at: Date): readonly RetiredWebhookSecret[] {
  return previous.filter((retired) => Date.parse(retired.validUntil) > at.getTime());
}

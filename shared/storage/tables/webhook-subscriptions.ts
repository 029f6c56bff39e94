import { z } from 'zod';
import { webhookSecretSetSchema } from '../../webhooks/secret-rotation';
import type { SubscribedEvent, WebhookSubscription } from '../../webhooks/subscription';
import { subscriptionFiltersSchema, webhookFormats } from '../../webhooks/subscription';
import { defineTable, jsonText } from '../table-definition';

const PARTITION = 'subscription';

/**
 * One row per webhook subscription, in one partition (a listing is one query; there are tens, not millions).
 * `secrets` holds the signing secrets in clear: delivery must read them to sign (an HMAC key cannot be
 * hashed away), so they are protected as the account is (encryption at rest, keys or managed identity), and
 * no API answer, status answer or log reads this column except the delivery signer.
 * `filters` may reach 3 × 100 × 200 characters, more than one string property holds, so it is a split JSON
 * column; `events` and `secrets` are small documents in one property each.
 */
export const webhookSubscriptionsTable = defineTable({
  name: 'webhooksubscriptions',
  purpose:
    'webhook subscriptions: URL, event types, filters, format and signing secrets (current and previous)',
  partitionKey: "'subscription'",
  partition: PARTITION,
  rowKey: 'the subscription id (`ep_` + 26 random base32 characters)',
  schema: z.object({
    url: z.string(),
    // Read as plain strings: a type later removed from the catalogue must not make the row unreadable.
    events: jsonText(z.array(z.string())),
    filters: subscriptionFiltersSchema,
    description: z.string(),
    enabled: z.boolean(),
    format: z.enum(webhookFormats),
    secrets: jsonText(webhookSecretSetSchema),
    createdAt: z.string(),
    updatedAt: z.string(),
    failingSince: z.string().optional(),
    probeAfter: z.string().optional(),
    disabledReason: z.enum(['gone', 'failing']).optional(),
    disabledDetail: z.string().optional(),
    disabledAt: z.string().optional(),
  }),
  jsonColumns: ['filters'],
  key: (id: string) => ({ partitionKey: PARTITION, rowKey: id }),
  keyOf: (row: WebhookSubscription) => ({ partitionKey: PARTITION, rowKey: row.id }),
  toColumns: (row) => ({
    url: row.url,
    events: JSON.stringify(row.events),
    filters: row.filters as z.input<typeof subscriptionFiltersSchema>,
    description: row.description,
    enabled: row.enabled,
    format: row.format,
    secrets: JSON.stringify(row.secrets),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    failingSince: row.failingSince,
    probeAfter: row.probeAfter,
    disabledReason: row.disabled?.reason,
    disabledDetail: row.disabled?.detail,
    disabledAt: row.disabled?.at,
  }),
  fromColumns: (
    { disabledReason, disabledDetail, disabledAt, failingSince, probeAfter, ...columns },
    keys,
  ): WebhookSubscription => ({
    id: keys.rowKey,
    ...columns,
    events: columns.events as SubscribedEvent[],
    ...(failingSince === undefined ? {} : { failingSince }),
    ...(probeAfter === undefined ? {} : { probeAfter }),
    ...(disabledReason === undefined
      ? {}
      : { disabled: { reason: disabledReason, detail: disabledDetail ?? '', at: disabledAt ?? '' } }),
  }),
});

import { z } from 'zod';
import { PipelineError } from '../errors';
import { describes } from '../schema-matches';
import type { DestinationPolicy } from './destination-policy';
import type { WebhookSecret } from './webhook-secret';
import { newSecretSet, rotateSecret } from './secret-rotation';
import {
  createSubscriptionSchema,
  parseSubscriptionRequest,
  patchSubscriptionSchema,
  publicSubscriptionSchema,
  publicViewOf,
} from './subscription';
import type { PublicSubscription, WebhookSubscription } from './subscription';

/** Where subscriptions are kept (Tables in infra; a map in tests). */
export interface SubscriptionStore {
  /** Stores a new subscription; its id is new. */
  insert(subscription: WebhookSubscription): Promise<void>;
  get(id: string): Promise<WebhookSubscription | undefined>;
  /** Every subscription, in id order. */
  list(): Promise<WebhookSubscription[]>;
  /**
   * Applies `change` to the stored subscription and stores the result, atomically (a concurrent change makes
   * it read and apply again); undefined when there is none with `id`.
   */
  update(
    id: string,
    change: (stored: WebhookSubscription) => WebhookSubscription,
  ): Promise<WebhookSubscription | undefined>;
  /** `false` when there was none. */
  delete(id: string): Promise<boolean>;
}

export interface WebhookSubscriptionsDeps {
  readonly store: SubscriptionStore;
  readonly policy: DestinationPolicy;
  /** A new signing secret (infra: `randomWebhookSecret`). */
  readonly newSecret: () => WebhookSecret;
  /** A new subscription id (infra: `ep_` + random). */
  readonly newId: () => string;
  readonly now: () => Date;
  /** How long a rotated-out secret keeps signing (default: a day, `defaultRotationGraceMs`). */
  readonly rotationGraceMs?: number;
}

/** What creation and rotation answer: the subscription and, this once, its current secret. */
export type SubscriptionWithSecret = PublicSubscription & { readonly secret: WebhookSecret };

/** `SubscriptionWithSecret` as creation and rotation answer it. */
export const subscriptionWithSecretSchema = describes<SubscriptionWithSecret>()(
  publicSubscriptionSchema.extend({
    secret: z.string().describe('`whsec_<base64>`: the signing secret, shown in this answer only'),
  }),
);

/**
 * The subscription API's operations (issue 17 item 2), behind `POST/GET/PATCH/DELETE /api/webhooks`. Every
 * request body is validated whole before anything is stored; answers carry no secret except the one that
 * created or rotated it.
 */
export class WebhookSubscriptions {
  constructor(private readonly deps: WebhookSubscriptionsDeps) {}

  async create(body: unknown): Promise<SubscriptionWithSecret> {
    const request = parseSubscriptionRequest(createSubscriptionSchema, body, this.deps.policy);
    const at = this.deps.now().toISOString();
    const secret = this.deps.newSecret();
    const subscription: WebhookSubscription = {
      id: this.deps.newId(),
      url: request.url,
      events: request.events,
      filters: request.filters ?? {},
      description: request.description ?? '',
      enabled: request.enabled ?? true,
      format: request.format ?? 'cloudevents',
      secrets: newSecretSet(secret),
      createdAt: at,
      updatedAt: at,
    };
    await this.deps.store.insert(subscription);
    return { ...publicViewOf(subscription), secret };
  }

  async list(): Promise<PublicSubscription[]> {
    return (await this.deps.store.list()).map(publicViewOf);
  }

  async get(id: string): Promise<PublicSubscription> {
    return publicViewOf(await this.existing(id));
  }

  async update(id: string, body: unknown): Promise<PublicSubscription> {
    const patch = parseSubscriptionRequest(patchSubscriptionSchema, body, this.deps.policy);
    const updated = await this.deps.store.update(id, (stored) => ({
      // Enabling again starts afresh: the failing period and the reason it was disabled are dropped.
      ...(patch.enabled === true ? withoutHealth(stored) : stored),
      ...(patch.url === undefined ? {} : { url: patch.url }),
      ...(patch.events === undefined ? {} : { events: patch.events }),
      ...(patch.filters === undefined ? {} : { filters: patch.filters }),
      ...(patch.description === undefined ? {} : { description: patch.description }),
      ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
      ...(patch.format === undefined ? {} : { format: patch.format }),
      updatedAt: this.deps.now().toISOString(),
    }));
    if (updated === undefined) throw unknown(id);
    return publicViewOf(updated);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.deps.store.delete(id))) throw unknown(id);
  }

  /** A new current secret; the replaced one keeps signing for the grace period (`rotateSecret`). */
  async rotateSecret(id: string): Promise<SubscriptionWithSecret> {
    const at = this.deps.now();
    const secret = this.deps.newSecret();
    const rotated = await this.deps.store.update(id, (stored) => ({
      ...stored,
      secrets: rotateSecret(stored.secrets, secret, at, this.deps.rotationGraceMs),
      updatedAt: at.toISOString(),
    }));
    if (rotated === undefined) throw unknown(id);
    return { ...publicViewOf(rotated), secret };
  }

  private async existing(id: string): Promise<WebhookSubscription> {
    const stored = await this.deps.store.get(id);
    if (stored === undefined) throw unknown(id);
    return stored;
  }
}

function withoutHealth(subscription: WebhookSubscription): WebhookSubscription {
  const { failingSince: _failing, probeAfter: _probe, disabled: _disabled, ...rest } = subscription;
  return rest;
}

function unknown(id: string): PipelineError {
  return PipelineError.permanent('webhook.unknown-subscription', `no webhook subscription ${id}`, { id });
}

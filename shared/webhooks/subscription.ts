import { z } from 'zod';
import { PipelineError } from '../errors';
import { eventTypes, isEventType } from '../events/catalogue';
import type { EventType } from '../events/catalogue';
import type { PipelineEvent } from '../events/pipeline-event';
import type { DestinationPolicy } from './destination-policy';
import { checkDestinationUrl } from './destination-policy';
import type { WebhookSecretSet } from './secret-rotation';
import { describes } from '../schema-matches';

/**
 * A webhook subscription (issue 17): where events go (`url`), which ones (`events`, catalogue types or `*`,
 * narrowed by `filters`), in which body format, and the secrets that sign them. The secret set is held here
 * because delivery must read it to sign; it leaves the pipeline only in the answer that created or rotated it
 * (`publicViewOf` is every other answer's form).
 */
export interface WebhookSubscription {
  readonly id: string;
  readonly url: string;
  readonly events: readonly SubscribedEvent[];
  readonly filters: SubscriptionFilters;
  readonly description: string;
  readonly enabled: boolean;
  readonly format: WebhookFormat;
  readonly secrets: WebhookSecretSet;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly updatedAt: string;
  /**
   * The first failed attempt since the last delivered one (ISO 8601); absent while the endpoint is healthy.
   * An endpoint failing for longer than `AZL_WEBHOOK_DISABLE_AFTER` is disabled.
   */
  readonly failingSince?: string;
  /**
   * While failing: no attempt of an event is made before this time (ISO 8601); attempts due earlier wait for
   * it. The endpoint's cool-down, so a hanging endpoint costs one attempt per retry wait, not one per event.
   */
  readonly probeAfter?: string;
  /** Why delivery disabled the endpoint, and when; cleared when it is enabled again. */
  readonly disabled?: EndpointDisabled;
}

/** Why delivery disabled an endpoint: it answered 410 Gone, or it failed every attempt for too long. */
export interface EndpointDisabled {
  readonly reason: 'gone' | 'failing';
  readonly detail: string;
  readonly at: string;
}

/** A catalogue type, or `*` for every type (including ones added later). */
export type SubscribedEvent = EventType | '*';

/**
 * Body formats: `cloudevents` (signed structured CloudEvents), `slack` (Slack, Mattermost, Rocket.Chat) and
 * `teams` (an Adaptive Card for a Teams workflow); see `DeliveryFormat`. A format listed before its body
 * exists is left out of `implementedFormats`, and requests naming it are refused.
 */
export const webhookFormats = ['cloudevents', 'slack', 'teams'] as const;
export type WebhookFormat = (typeof webhookFormats)[number];
export const implementedFormats: readonly WebhookFormat[] = webhookFormats;

/** Each list narrows the events; an absent or empty list does not. */
export interface SubscriptionFilters {
  readonly components?: readonly string[];
  readonly channels?: readonly string[];
  readonly repositories?: readonly string[];
}

/** A subscription as every answer but creation and rotation shows it: no secret. */
export type PublicSubscription = Omit<WebhookSubscription, 'secrets'>;

export const maxDescriptionLength = 500;
export const maxFilterEntries = 100;
export const maxFilterEntryLength = 200;
/** More than the catalogue holds, so a list naming each type (and `*`) fits, and no more. */
export const maxSubscribedEvents = 50;

const filterList = z
  .array(
    z
      .string()
      .min(1, { error: 'must not be empty' })
      .max(maxFilterEntryLength, { error: `must be at most ${maxFilterEntryLength} characters` }),
    { error: 'must be a list of strings' },
  )
  .max(maxFilterEntries, { error: `must have at most ${maxFilterEntries} entries` });

export const subscriptionFiltersSchema = z.strictObject(
  { components: filterList.optional(), channels: filterList.optional(), repositories: filterList.optional() },
  { error: 'must be an object with components, channels and repositories lists' },
);

const subscribedEvents = z
  .array(
    z.string().refine((value) => value === '*' || isEventType(value), {
      error: (issue) =>
        `unknown event type ${JSON.stringify(issue.input)} (one of *, ${eventTypes.join(', ')})`,
    }),
    { error: 'must be a list of event types' },
  )
  .min(1, { error: 'must name at least one event type, or *' })
  .max(maxSubscribedEvents, { error: `must have at most ${maxSubscribedEvents} entries` })
  .transform((events) => [...new Set(events)] as SubscribedEvent[]);

const description = z
  .string({ error: 'must be a string' })
  .max(maxDescriptionLength, { error: `must be at most ${maxDescriptionLength} characters` });

const format = z
  .enum(webhookFormats, { error: `must be one of ${webhookFormats.join(', ')}` })
  .refine((value) => implementedFormats.includes(value), {
    error: (issue) => `${String(issue.input)} is reserved and not delivered yet (use cloudevents)`,
  });

const url = z.string({ error: 'must be a string' });

/** `POST /api/webhooks`: unknown fields are refused, so a misspelt `filter` is not silently ignored. */
export const createSubscriptionSchema = z.strictObject({
  url,
  events: subscribedEvents,
  filters: subscriptionFiltersSchema.optional(),
  description: description.optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  format: format.optional(),
});

/** `PATCH /api/webhooks/{id}`: the fields given replace the stored ones (`filters` as a whole). */
export const patchSubscriptionSchema = z.strictObject({
  url: url.optional(),
  events: subscribedEvents.optional(),
  filters: subscriptionFiltersSchema.optional(),
  description: description.optional(),
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  format: format.optional(),
});

/** `PublicSubscription` as the API answers it (every answer but creation and rotation). */
export const publicSubscriptionSchema = describes<PublicSubscription>()(
  z.object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum([...(eventTypes as [EventType, ...EventType[]]), '*'])),
    filters: subscriptionFiltersSchema,
    description: z.string(),
    enabled: z.boolean(),
    format: z.enum(webhookFormats),
    createdAt: z.string(),
    updatedAt: z.string(),
    failingSince: z.string().optional().describe('the first failed attempt since the last delivered one'),
    probeAfter: z.string().optional().describe('while failing: no attempt is made before this time'),
    disabled: z
      .object({ reason: z.enum(['gone', 'failing']), detail: z.string(), at: z.string() })
      .optional()
      .describe('why delivery disabled the endpoint, and when'),
  }),
);

export type CreateSubscriptionRequest = z.output<typeof createSubscriptionSchema>;
export type PatchSubscriptionRequest = z.output<typeof patchSubscriptionSchema>;

/**
 * Parses a request body with `schema`, then checks its URL with the destination policy. Throws
 * `webhook.invalid-subscription` (or `webhook.destination-refused`) whose message and `field` context name
 * the first field at fault (`filters.components.3`); nothing is changed before this passes.
 */
export function parseSubscriptionRequest<S extends z.ZodType<{ url?: string | undefined }>>(
  schema: S,
  body: unknown,
  policy: DestinationPolicy,
): z.output<S> {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? 'body' : issue.path.join('.');
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`
        : (issue?.message ?? 'invalid');
    const named =
      issue?.code === 'unrecognized_keys' && issue.path.length === 0 ? (issue.keys[0] ?? field) : field;
    throw PipelineError.permanent('webhook.invalid-subscription', `${named}: ${message}`, { field: named });
  }
  const value = parsed.data;
  if (value.url === undefined) return value;
  // The stored URL is the normalised one the delivery client will connect to.
  return { ...value, url: checkDestinationUrl(value.url, policy, 'url').url.href };
}

export function publicViewOf(subscription: WebhookSubscription): PublicSubscription {
  const { secrets: _secrets, ...view } = subscription;
  return view;
}

/**
 * Whether `event` goes to `subscription` (for delivery): it is enabled, subscribes to the event's type (or
 * `*`), and the event passes every non-empty filter. A filter only passes events that carry what it names: a
 * component filter passes `build.*`/`upstream.pinned` of a listed component and a `plan.created` that planned
 * one; a repository or channel filter passes `repo.published` of such a repository and builds sent to one.
 * Channels are the first segment of a repository id (`base` of `base/x86_64`). Pure.
 */
export function matches(subscription: WebhookSubscription, event: PipelineEvent): boolean {
  if (!subscription.enabled) return false;
  if (!subscription.events.includes('*') && !subscription.events.includes(event.type)) return false;
  const { components, channels, repositories } = subscription.filters;
  const about = subjectsOf(event);
  const passes = (filter: readonly string[] | undefined, values: readonly string[]) =>
    filter === undefined || filter.length === 0 || values.some((value) => filter.includes(value));
  return (
    passes(components, about.components) &&
    passes(repositories, about.repositories) &&
    passes(
      channels,
      about.repositories.map((repository) => repository.split('/')[0] ?? repository),
    )
  );
}

/** The components and repositories an event is about, from its data. */
function subjectsOf(event: PipelineEvent): { components: string[]; repositories: string[] } {
  switch (event.type) {
    case 'plan.created':
      return { components: event.data.planned.map((item) => item.component), repositories: [] };
    case 'build.started':
    case 'build.succeeded':
    case 'build.unchanged':
    case 'build.failed':
    case 'build.overlay-drift':
      return { components: [event.data.component], repositories: [...(event.data.repositories ?? [])] };
    case 'upstream.pinned':
      return { components: [event.data.component], repositories: [] };
    case 'repo.published':
      return { components: [], repositories: [event.data.repository] };
    case 'image.published':
    case 'image.failed':
      return { components: [], repositories: Object.keys(event.data.repositories) };
    case 'webhook.endpoint-disabled':
    case 'webhook.ping':
      return { components: [], repositories: [] };
  }
}

/**
 * Which entity an adapter object talks to. A sender addresses a queue or a topic; a receiver a queue or one
 * subscription of a topic (and, with `deadLetter: true`, that entity's dead-letter queue). The same objects
 * become PipelineError context, so a failure names `queue: 'builds'` or `topic: 'events', subscription: 'webhooks'`
 * rather than an opaque path. Names are plain strings: the pipeline passes names from
 * shared/messaging/entities.ts, tests their own.
 */
export type SendTarget = { readonly queue: string } | { readonly topic: string };

export type ReceiveSource =
  { readonly queue: string } | { readonly topic: string; readonly subscription: string };

/** Error context of an operation: the entity plus whatever narrows it down (session, message, dead-letter). */
export type ServiceBusPlace = Readonly<Record<string, string | number | boolean | undefined>>;

/** The queue or topic name the SDK's `createSender` takes. */
export function targetName(target: SendTarget): string {
  return 'queue' in target ? target.queue : target.topic;
}

/**
 * The entity fields of `entity` (and nothing else the caller's object may carry), plus `extra`.
 * Undefined extras are dropped when the place becomes error context.
 */
export function placeOf(entity: SendTarget | ReceiveSource, extra: ServiceBusPlace = {}): ServiceBusPlace {
  if ('queue' in entity) return { queue: entity.queue, ...extra };
  if ('subscription' in entity) return { topic: entity.topic, subscription: entity.subscription, ...extra };
  return { topic: entity.topic, ...extra };
}

/** `builds`, `events`, `events/subscriptions/webhooks`, with `/$deadletterqueue` for a dead-letter reader. */
export function describePlace(place: ServiceBusPlace): string {
  const base =
    typeof place.queue === 'string'
      ? place.queue
      : typeof place.subscription === 'string'
        ? `${String(place.topic)}/subscriptions/${place.subscription}`
        : String(place.topic ?? 'unknown entity');
  return place.deadLetter === true ? `${base}/$deadletterqueue` : base;
}

import { z } from 'zod';
import { PipelineError } from '../errors';
import { eventCatalogue, eventTypes, isEventType } from './catalogue';
import type { EventData, EventType } from './catalogue';
import type { PipelineEvent } from './pipeline-event';

/**
 * Pipeline events as CloudEvents 1.0 in the JSON structured mode, the form the `events` topic carries and
 * receivers get:
 * - `type`: `com.azurelinux.rebuilder.<catalogue type>` (`com.azurelinux.rebuilder.build.failed`);
 * - `source`: `urn:azl-rebuilder:<instance>`, the pipeline instance (`AZL_INSTANCE_NAME`; see settings);
 * - `subject`: what the event is about (a component, plan, repository or endpoint; the catalogue says which);
 * - `id`: stable for the event (`eventIdOf`), so `source` + `id` is unique and a re-send is a duplicate;
 * - `dataschema`: `urn:azl-rebuilder:events:<type>:v<version>`, naming the data's schema and its version
 *   (the definitions in `GET /api/webhooks/event-types` and the committed JSON Schema file).
 */
export const CLOUD_EVENT_TYPE_PREFIX = 'com.azurelinux.rebuilder.';
export const STRUCTURED_CONTENT_TYPE = 'application/cloudevents+json';

/** Instance names: letters, digits, `.`, `_`, `-`; what a host or app name is made of. */
const INSTANCE_NAME = '[A-Za-z0-9][A-Za-z0-9._-]{0,62}';

export const instanceNameSchema = z.string().regex(new RegExp(`^${INSTANCE_NAME}$`), {
  error: 'must be 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
});

export const cloudEventTypeOf = (type: EventType): string => `${CLOUD_EVENT_TYPE_PREFIX}${type}`;
export const sourceOf = (instance: string): string => `urn:azl-rebuilder:${instance}`;
export const dataSchemaOf = (type: EventType): string =>
  `urn:azl-rebuilder:events:${type}:v${eventCatalogue[type].version}`;

export interface PipelineCloudEvent<T extends EventType = EventType> {
  readonly specversion: '1.0';
  readonly id: string;
  readonly source: string;
  readonly type: string;
  readonly subject: string;
  readonly time: string;
  readonly datacontenttype: 'application/json';
  readonly dataschema: string;
  readonly data: EventData<T>;
}

/** The structured-mode JSON object of `event` as sent by `instance`. Pure. */
export function toCloudEvent<T extends EventType>(
  event: PipelineEvent<T>,
  instance: string,
): PipelineCloudEvent<T> {
  return {
    specversion: '1.0',
    id: event.id,
    source: sourceOf(instance),
    type: cloudEventTypeOf(event.type),
    subject: event.subject,
    time: event.time,
    datacontenttype: 'application/json',
    dataschema: dataSchemaOf(event.type),
    data: event.data as EventData<T>,
  };
}

/** The zod schema of a whole CloudEvent of `type`: the envelope and the catalogue's `data`. */
export function cloudEventSchemaOf(type: EventType) {
  const definition = eventCatalogue[type];
  return z
    .object({
      specversion: z.literal('1.0'),
      id: z.string().min(1).max(128),
      // A pattern rather than `startsWith`, whose JSON Schema `format` validators do not know.
      source: z
        .string()
        .regex(new RegExp(`^urn:azl-rebuilder:${INSTANCE_NAME}$`))
        .describe('the pipeline instance: urn:azl-rebuilder:<instance name>'),
      type: z.literal(cloudEventTypeOf(type)),
      subject: z.string().min(1).describe(definition.subject),
      time: z.iso.datetime({ offset: true }),
      datacontenttype: z.literal('application/json'),
      dataschema: z.literal(dataSchemaOf(type)).optional(),
      data: definition.data,
    })
    .meta({ title: cloudEventTypeOf(type), description: definition.description });
}

/**
 * `cloudEventSchemaOf(type)` made once per type for parsing: every event on the `events` topic is parsed by the
 * webhook fan-out and the Event Grid forwarder, and building a zod schema costs more than using it.
 */
const parsingSchemas = new Map<EventType, ReturnType<typeof cloudEventSchemaOf>>();
function parsingSchemaOf(type: EventType): ReturnType<typeof cloudEventSchemaOf> {
  let schema = parsingSchemas.get(type);
  if (!schema) parsingSchemas.set(type, (schema = cloudEventSchemaOf(type)));
  return schema;
}

/**
 * A CloudEvent read back (from the `events` topic, or as a receiver would): the envelope and its data checked
 * against the catalogue. An unknown type or a payload that does not fit throws `events.invalid-payload`.
 */
export function parseCloudEvent(body: unknown): PipelineCloudEvent {
  const type = typeof body === 'object' && body !== null ? (body as { type?: unknown }).type : undefined;
  const short =
    typeof type === 'string' && type.startsWith(CLOUD_EVENT_TYPE_PREFIX)
      ? type.slice(CLOUD_EVENT_TYPE_PREFIX.length)
      : undefined;
  if (short === undefined || !isEventType(short))
    throw PipelineError.permanent(
      'events.invalid-payload',
      `not a pipeline event type: ${JSON.stringify(type)} (one of ${eventTypes.map(cloudEventTypeOf).join(', ')})`,
    );
  const parsed = parsingSchemaOf(short).safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw PipelineError.permanent(
      'events.invalid-payload',
      `${short}: ${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'does not fit the schema'}`,
      { type: short },
    );
  }
  return { dataschema: dataSchemaOf(short), ...parsed.data } as PipelineCloudEvent;
}

/** The pipeline event a parsed CloudEvent carries (its catalogue type without the prefix). Pure. */
export function pipelineEventOf(cloudEvent: PipelineCloudEvent): PipelineEvent {
  return {
    id: cloudEvent.id,
    type: cloudEvent.type.slice(CLOUD_EVENT_TYPE_PREFIX.length),
    subject: cloudEvent.subject,
    time: cloudEvent.time,
    data: cloudEvent.data,
  } as PipelineEvent;
}

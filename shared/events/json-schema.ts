import { z } from 'zod';
import { eventCatalogue, eventTypes } from './catalogue';
import type { EventType } from './catalogue';
import { describes } from '../schema-matches';
import { cloudEventSchemaOf, cloudEventTypeOf, CLOUD_EVENT_TYPE_PREFIX, dataSchemaOf } from './cloud-event';

/** One catalogue entry as `GET /api/webhooks/event-types` answers it. */
export interface EventTypeDescription {
  readonly type: EventType;
  readonly cloudEventType: string;
  readonly version: number;
  readonly description: string;
  readonly subject: string;
  readonly dataschema: string;
  /** Defined, but nothing emits it yet. */
  readonly producedLater: boolean;
  /** JSON Schema (draft 2020-12) of the event's `data`. */
  readonly dataSchema: Record<string, unknown>;
}

/** `EventTypeDescription` as `GET /api/webhooks/event-types` answers it. */
export const eventTypeDescriptionSchema = describes<EventTypeDescription>()(
  z.object({
    type: z.enum(eventTypes as [EventType, ...EventType[]]),
    cloudEventType: z.string(),
    version: z.int().min(1),
    description: z.string(),
    subject: z.string(),
    dataschema: z.string(),
    producedLater: z.boolean().describe('defined, but nothing emits it yet'),
    dataSchema: z.record(z.string(), z.unknown()).describe("JSON Schema (draft 2020-12) of the event's data"),
  }),
);

/**
 * JSON Schema of a zod schema. The input side, which leaves objects open (no `additionalProperties: false`):
 * adding an optional field keeps an event's version, so a receiver validating with an older copy of the schema
 * must still accept the newer events.
 */
function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' });
  return rest;
}

/** Every catalogue type with its description, version and the JSON Schema of its data, in catalogue order. */
export function describeEventTypes(): EventTypeDescription[] {
  return eventTypes.map((type) => {
    const definition = eventCatalogue[type];
    return {
      type,
      cloudEventType: cloudEventTypeOf(type),
      version: definition.version,
      description: definition.description,
      subject: definition.subject,
      dataschema: dataSchemaOf(type),
      producedLater: 'producedLater' in definition,
      dataSchema: jsonSchemaOf(definition.data),
    };
  });
}

/**
 * One JSON Schema document of every pipeline CloudEvent (envelope and data): `oneOf` the types, each under
 * `$defs` by its catalogue type. Committed as `docs/events.schema.json` (`npm run docs:events`), so a receiver
 * can validate deliveries without calling the pipeline.
 *
 * Standard keywords only: a strict validator (Ajv's default strict mode) refuses to compile a schema with a
 * keyword it does not know, such as an `x-` extension. A type's version is in its `dataschema` constant
 * (`urn:azl-rebuilder:events:<type>:v<version>`).
 */
export function eventsJsonSchema(): Record<string, unknown> {
  const defs = Object.fromEntries(eventTypes.map((type) => [type, jsonSchemaOf(cloudEventSchemaOf(type))]));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'urn:azl-rebuilder:events',
    title: 'azl-rebuilder pipeline events',
    description: `CloudEvents 1.0 (JSON structured mode) the pipeline emits; type = ${CLOUD_EVENT_TYPE_PREFIX}<event type>`,
    oneOf: eventTypes.map((type) => ({ $ref: `#/$defs/${type}` })),
    $defs: defs,
  };
}

/** The committed file's text: the schema as JSON, two-space indented, with a final newline. */
export const eventsJsonSchemaText = (): string => `${JSON.stringify(eventsJsonSchema(), null, 2)}\n`;

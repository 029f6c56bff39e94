export { definitionOf, eventCatalogue, eventTypes, isEventType } from './catalogue';
export type { EventData, EventDefinition, EventType } from './catalogue';
export {
  CLOUD_EVENT_TYPE_PREFIX,
  STRUCTURED_CONTENT_TYPE,
  cloudEventSchemaOf,
  cloudEventTypeOf,
  dataSchemaOf,
  instanceNameSchema,
  parseCloudEvent,
  sourceOf,
  toCloudEvent,
} from './cloud-event';
export type { PipelineCloudEvent } from './cloud-event';
export { describeEventTypes, eventsJsonSchema, eventsJsonSchemaText } from './json-schema';
export type { EventTypeDescription } from './json-schema';
export { eventIdOf, pipelineEvent } from './pipeline-event';
export type { PipelineEvent, PipelineEventFields, PipelineEventOf } from './pipeline-event';

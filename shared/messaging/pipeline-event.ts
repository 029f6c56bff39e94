import type { PipelineEvent } from '../events/pipeline-event';

export type { PipelineEvent };

/**
 * The port to the `events` topic. Events come from the catalogue (`shared/events/`: `pipelineEvent` checked
 * their data); the topic adapter sends each as its CloudEvent (`toCloudEvent`) with the event id as message
 * id, so a repeat is dropped by the topic's duplicate detection.
 */
export interface PipelineEventPublisher {
  publish(events: readonly PipelineEvent[]): Promise<void>;
}

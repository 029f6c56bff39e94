import { z } from 'zod';

/**
 * A pipeline lifecycle event on the `events` topic (`plan.created`, `build.started`, `build.succeeded`,
 * `build.failed`, `repo.published`). CloudEvents-shaped (`id`, `type`, `source`, `subject`, `time`, `data`), so the
 * webhook subscription can forward it as it is. `id` is derived from what happened, so a repeat is dropped
 * by the topic's duplicate detection.
 */
export const pipelineEventTypes = [
  'plan.created',
  'build.started',
  'build.succeeded',
  'build.failed',
  'repo.published',
] as const;
export type PipelineEventType = (typeof pipelineEventTypes)[number];

export const pipelineEventSchema = z.object({
  id: z.string().min(1).max(128),
  type: z.enum(pipelineEventTypes),
  source: z.string().min(1),
  /** What it is about: a plan id, a component, a repository id. */
  subject: z.string().min(1),
  time: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type PipelineEvent = z.infer<typeof pipelineEventSchema>;

export const PIPELINE_EVENT_SOURCE = 'azl-rebuilder';

/** The port to the `events` topic: publishes events as they are (their ids make a repeat harmless). */
export interface PipelineEventPublisher {
  publish(events: readonly PipelineEvent[]): Promise<void>;
}

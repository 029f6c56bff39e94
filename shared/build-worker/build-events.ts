import type { EventData, EventType } from '../events/catalogue';
import { pipelineEvent } from '../events/pipeline-event';
import type { PipelineEvent } from '../events/pipeline-event';
import type { BuildRecord } from './build-record';

export type BuildEventType = Extract<EventType, `build.${string}`>;

/** The event a build's final state announces; `superseded` announces none (a newer build replaces it). */
export function finalBuildEventType(state: BuildRecord['state']): BuildEventType | undefined {
  switch (state) {
    case 'succeeded':
      return 'build.succeeded';
    case 'unchanged':
      return 'build.unchanged';
    case 'overlay-drift':
      return 'build.overlay-drift';
    case 'failed':
    case 'cancelled':
      return 'build.failed';
    default:
      return undefined;
  }
}

/**
 * A `build.*` event for a record, checked against the catalogue; its identity is the build, its try and the
 * event type, so the same announcement sent twice (a cloud execution re-running the worker) has one id.
 */
export function buildEvent(type: BuildEventType, record: BuildRecord, at: string): PipelineEvent {
  return pipelineEvent(type, {
    identity: `${record.buildId}:${record.attempts}`,
    subject: record.component,
    time: at,
    data: {
      buildId: record.buildId,
      component: record.component,
      fingerprint: record.fingerprint,
      planId: record.planId,
      state: record.state,
      attempt: record.attempts,
      ...(record.nevras ? { nevras: [...record.nevras] } : {}),
      ...(record.repositories ? { repositories: [...record.repositories] } : {}),
      ...(record.error ? { error: record.error } : {}),
      // The record's state is checked against the type by the catalogue schema, not by the compiler.
    } as EventData<BuildEventType>,
  });
}

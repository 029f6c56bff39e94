import { PIPELINE_EVENT_SOURCE } from '../messaging/pipeline-event';
import type { PipelineEvent, PipelineEventType } from '../messaging/pipeline-event';
import type { BuildRecord } from './build-record';

/** `build.started` / `build.succeeded` / `build.failed` for a record; the id names the build and its try. */
export function buildEvent(type: PipelineEventType, record: BuildRecord, at: string): PipelineEvent {
  return {
    id: `${type}:${record.buildId}:${record.attempts}`,
    type,
    source: PIPELINE_EVENT_SOURCE,
    subject: record.component,
    time: at,
    data: {
      buildId: record.buildId,
      component: record.component,
      fingerprint: record.fingerprint,
      planId: record.planId,
      state: record.state,
      attempt: record.attempts,
      ...(record.nevras ? { nevras: record.nevras } : {}),
      ...(record.repositories ? { repositories: record.repositories } : {}),
      ...(record.error ? { error: record.error } : {}),
    },
  };
}

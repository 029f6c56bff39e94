import { pipelineEvent } from '../../shared/events';
import type { PipelineEvent } from '../../shared/events';

/** A `build.succeeded` of its own component (`identity` makes the id, so every event is new to the topic). */
export function benchEvent(identity: string): PipelineEvent {
  const component = `bench-${identity}`;
  return pipelineEvent('build.succeeded', {
    identity,
    subject: component,
    time: new Date().toISOString(),
    data: {
      buildId: `${component}@0123456789abcdef`,
      component,
      fingerprint: '0123456789abcdef',
      planId: 'plan-webhook-bench',
      attempt: 1,
      state: 'succeeded',
      nevras: [`${component}-1.0-1.azl3.x86_64`],
      repositories: ['base/x86_64'],
    },
  });
}

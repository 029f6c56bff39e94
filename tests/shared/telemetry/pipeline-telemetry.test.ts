import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { allCustomEvents, allMetrics } from '../../../shared/telemetry/catalogue';
import { noTelemetry, pipelineTelemetry, topicFamily } from '../../../shared/telemetry/pipeline-telemetry';
import type { PipelineTelemetry } from '../../../shared/telemetry/pipeline-telemetry';
import { recordingTelemetry } from '../../../testing/fakes/telemetry';

/** Every port call, once, as the pipeline makes them. */
function reportEverything(telemetry: PipelineTelemetry): void {
  telemetry.messagesIngested('accepted', 'http', 'org.fedoraproject.prod.buildsys.tag', 1);
  telemetry.planningPassFinished('planned', 120);
  telemetry.planCreated({ planId: 'plan-1', trigger: 'event', components: ['zlib', 'curl'] });
  const build = { component: 'zlib', fingerprint: 'sha256:1', buildId: 'b-1', builder: 'rpmbuild' };
  telemetry.buildFinished({
    ...build,
    outcome: 'succeeded',
    durationMs: 5_000,
    rpmbuildMs: 4_000,
    packages: 3,
  });
  telemetry.buildFinished({
    ...build,
    outcome: 'failed',
    durationMs: 1_000,
    packages: 0,
    error: { code: 'build.spec-error', retryable: false },
    logExcerpt: 'x'.repeat(5_000),
  });
  telemetry.messageWaited('builds', 250);
  telemetry.publishFinished({
    repository: 'base/x86_64',
    outcome: 'published',
    durationMs: 800,
    revision: 4,
    packages: 10,
    added: 1,
    removed: 1,
    upstreamSentAt: new Date(Date.now() - 60_000).toISOString(),
  });
  telemetry.messageDeadLettered({
    queue: 'publish',
    messageId: 'm-1',
    error: PipelineError.permanent('message.invalid', 'does not fit'),
  });
  telemetry.webhookAttempted({ result: 'retrying', format: 'cloudevents', latencyMs: 120 });
  telemetry.webhookEndpointDisabled({ endpointId: 'ep_1', reason: 'gone', detail: 'answered 410' });
}

describe('pipelineTelemetry', () => {
  it('emits every metric and custom event of the catalogue, each with exactly its dimensions', () => {
    const recorded = recordingTelemetry();
    reportEverything(recorded.telemetry);

    for (const metric of allMetrics()) {
      const recordings = recorded.metricsNamed(metric.name);
      expect(recordings.length, metric.name).toBeGreaterThan(0);
      for (const { dimensions } of recordings)
        expect(Object.keys(dimensions).sort()).toEqual([...metric.dimensions].sort());
    }
    for (const event of allCustomEvents()) {
      const events = recorded.eventsNamed(event.name);
      expect(events.length, event.name).toBeGreaterThan(0);
      for (const { properties } of events)
        expect(Object.keys(properties).sort()).toEqual([...event.properties].sort());
    }
    const names = new Set([...allMetrics(), ...allCustomEvents()].map((d) => d.name));
    for (const { name } of [...recorded.metrics, ...recorded.events]) expect(names).toContain(name);
  });

  it('keeps the end of a long build log and durations in seconds where the catalogue says s', () => {
    const recorded = recordingTelemetry();
    reportEverything(recorded.telemetry);
    expect(recorded.eventsNamed('BuildFailed')[0]?.properties['log_excerpt']).toHaveLength(2_000);
    expect(recorded.metricsNamed('azl.build.duration').map((m) => m.value)).toEqual([5, 1]);
    expect(recorded.metricsNamed('azl.build.rpmbuild.duration').map((m) => m.value)).toEqual([4]);
  });

  it('never throws into the pipeline when its sink does', () => {
    const broken = pipelineTelemetry(
      {
        metric: () => {
          throw new Error('instrument gone');
        },
        event: () => {
          throw new Error('logger gone');
        },
      },
      noTelemetry,
    );
    expect(() => reportEverything(broken)).not.toThrow();
  });

  it('groups topics into low-cardinality families', () => {
    expect(topicFamily('org.fedoraproject.prod.buildsys.tag')).toBe('buildsys.tag');
    expect(
      topicFamily('org.fedoraproject.stg.bodhi.update.status.testing.koji-build-group.build.complete'),
    ).toBe('bodhi.update');
    expect(topicFamily(undefined)).toBe('unknown');
  });
});

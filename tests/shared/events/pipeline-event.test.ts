import { describe, expect, it } from 'vitest';
import { eventCatalogue, eventIdOf, eventTypes, pipelineEvent } from '../../../shared/events';
import { thrownPipelineError } from '../../../testing/failures';
import { sampleEvents } from '../../../testing/fixtures/pipeline-events';

describe('the event catalogue', () => {
  it('lists every type the pipeline emits, each with a version, one line of meaning and a subject', () => {
    expect(eventTypes).toEqual([
      'plan.created',
      'build.started',
      'build.succeeded',
      'build.unchanged',
      'build.failed',
      'build.overlay-drift',
      'repo.published',
      'image.published',
      'image.failed',
      'upstream.pinned',
      'webhook.endpoint-disabled',
      'webhook.ping',
    ]);
    for (const type of eventTypes) {
      const definition = eventCatalogue[type];
      expect(definition.version).toBeGreaterThanOrEqual(1);
      expect(definition.description).toMatch(/^[a-z][^\n]{10,120}$/);
      expect(definition.subject).toMatch(/^the /);
    }
  });
});

describe('pipelineEvent', () => {
  it('derives a stable id from the type and identity: the same event twice has one id, with no full stop', () => {
    const fields = {
      identity: 'python3.12@0123456789abcdef:1',
      subject: 'python3.12',
      time: '2026-12-01T12:00:00Z',
      data: sampleEvents['build.started'].data,
    };
    const once = pipelineEvent('build.started', fields);
    expect(pipelineEvent('build.started', fields).id).toBe(once.id);
    expect(once.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(once.id).toBe(eventIdOf('build.started', fields.identity));
    // Another try, or another type with the same identity, is another event.
    expect(eventIdOf('build.started', 'python3.12@0123456789abcdef:2')).not.toBe(once.id);
    expect(eventIdOf('build.succeeded', fields.identity)).not.toBe(once.id);
    expect(once.time).toBe('2026-12-01T12:00:00.000Z');
  });

  it('refuses data that does not fit the schema of its type, naming the type and the field', () => {
    const started = sampleEvents['build.started'];
    const wrongState = thrownPipelineError(
      () =>
        pipelineEvent('build.succeeded', {
          identity: 'x',
          subject: 'zlib-ng',
          time: started.time,
          data: { ...started.data, state: 'building' } as never,
        }),
      'events.invalid-payload',
    );
    expect(wrongState.message).toMatch(/^build\.succeeded: data\.state: /);
    expect(wrongState.retryable).toBe(false);

    const drift = sampleEvents['build.overlay-drift'];
    const { error: _missing, ...withoutError } = drift.data;
    expect(
      thrownPipelineError(
        () =>
          pipelineEvent('build.overlay-drift', {
            identity: 'x',
            subject: 'zlib-ng',
            time: drift.time,
            data: withoutError as never,
          }),
        'events.invalid-payload',
      ).message,
    ).toMatch(/data\.error/);

    const repo = sampleEvents['repo.published'];
    expect(
      thrownPipelineError(
        () =>
          pipelineEvent('repo.published', {
            identity: 'x',
            subject: 'r',
            time: repo.time,
            data: { ...repo.data, baseUrl: 'not a url' },
          }),
        'events.invalid-payload',
      ).message,
    ).toMatch(/data\.baseUrl/);
    expect(
      thrownPipelineError(
        () =>
          pipelineEvent('repo.published', {
            identity: 'x',
            subject: 'r',
            time: 'yesterday',
            data: repo.data,
          }),
        'events.invalid-payload',
      ).message,
    ).toMatch(/time "yesterday"/);
  });

  it('keeps only the fields the schema declares, so nothing undeclared reaches a receiver', () => {
    const ping = pipelineEvent('webhook.ping', {
      identity: 'ep_1:p',
      subject: 'ep_1',
      time: '2026-12-01T12:00:00Z',
      data: { endpointId: 'ep_1', secret: 'whsec_x' } as never,
    });
    expect(ping.data).toEqual({ endpointId: 'ep_1' });
  });
});

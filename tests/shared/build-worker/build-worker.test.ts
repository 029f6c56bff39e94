import { describe, expect, it } from 'vitest';
import { buildRequestSchema } from '../../../shared/build';
import type { BuildRequest } from '../../../shared/build';
import { BuildWorker } from '../../../shared/build-worker';
import { PipelineError } from '../../../shared/errors';
import { publishRequestSchema } from '../../../shared/publishing';
import { memoryWorkerPorts } from '../../../testing/fakes/build-worker-ports';
import { recordingTelemetry } from '../../../testing/fakes/telemetry';

const now = new Date('2026-12-01T12:00:00Z');
const request = (over: Partial<BuildRequest> = {}): BuildRequest =>
  buildRequestSchema.parse({
    planId: 'plan-1',
    component: 'azl-greeter',
    fingerprint: `sha256:${'1'.repeat(64)}`,
    wave: 0,
    priority: 300,
    reasons: [],
    requestedAt: '2026-12-01T11:00:00.000Z',
    ...over,
  });

function harness() {
  const h = memoryWorkerPorts();
  const worker = new BuildWorker(h.ports, {
    clock: () => now,
    retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 },
  });
  return { ...h, worker };
}

describe('BuildWorker', () => {
  it('builds, uploads, sends one publish message per repository, records success and tells', async () => {
    const h = harness();
    const result = await h.worker.handle(request());

    expect(result).toMatchObject({ outcome: 'finished', record: { state: 'succeeded', attempts: 1 } });
    const record = h.ports.records.rows.get(`azl-greeter sha256:${'1'.repeat(64)}`);
    expect(record?.history.map((t) => t.state)).toEqual(['queued', 'preparing', 'building', 'succeeded']);
    expect(record?.nevras).toEqual(['azl-greeter-2.1-2.azl4.src', 'azl-greeter-2.1-2.azl4.x86_64']);
    expect(record?.repositories).toEqual(['base/srpms', 'base/x86_64']);
    expect(h.published.map((p) => [p.repository, p.packages.map((x) => x.fileName)])).toEqual([
      ['base/srpms', ['azl-greeter-2.1-2.azl4.src.rpm']],
      ['base/x86_64', ['azl-greeter-2.1-2.azl4.x86_64.rpm']],
    ]);
    for (const p of h.published) expect(publishRequestSchema.parse(p)).toEqual(p);
    expect(h.ports.successes.rows.get('azl-greeter')?.fingerprint).toBe(request().fingerprint);
    expect(h.ports.events.published.map((e) => e.type)).toEqual(['build.started', 'build.succeeded']);
    expect(h.ports.preparer.released).toBe(1);
  });

  it('a publish send that fails records no success, so the redelivered build publishes', async () => {
    const h = harness();
    const send = h.ports.publish.send;
    h.ports.publish.send = () => Promise.reject(PipelineError.transient('servicebus.unavailable', 'busy'));
    await expect(h.worker.handle(request())).rejects.toThrow('busy');
    expect(h.ports.successes.rows.get('azl-greeter')).toBeUndefined();

    h.ports.publish.send = send;
    expect(await h.worker.handle(request())).toMatchObject({ record: { state: 'succeeded' } });
    expect(h.published.map((p) => p.repository)).toEqual(['base/srpms', 'base/x86_64']);
  });

  it('the building record is written while the builder runs; its failure fails the try after the builder ended', async () => {
    const h = harness();
    const events: string[] = [];
    const put = h.ports.records.put.bind(h.ports.records);
    h.ports.records.put = async (record) => {
      if (record.state !== 'building') return put(record);
      events.push('building record written');
      throw PipelineError.transient('storage.unavailable', 'table busy');
    };
    const build = h.ports.builder.build.bind(h.ports.builder);
    h.ports.builder.build = async (input) => {
      events.push('builder started');
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('builder ended');
      return build(input);
    };
    const prepare = h.ports.preparer.prepare.bind(h.ports.preparer);
    h.ports.preparer.prepare = async (req) => {
      const prepared = await prepare(req);
      return {
        ...prepared,
        release: async () => {
          events.push('work folder released');
          await prepared.release();
        },
      };
    };

    await expect(h.worker.handle(request())).rejects.toThrow('table busy');
    expect(events).toEqual([
      'builder started',
      'building record written',
      'builder ended',
      'work folder released',
    ]);
    expect(h.published).toEqual([]);
    expect(h.ports.successes.rows.get('azl-greeter')).toBeUndefined();
  });

  it('a final record that fails to write after the publish went out: the redelivery ends unchanged, publishing nothing twice', async () => {
    const h = harness();
    const put = h.ports.records.put.bind(h.ports.records);
    let failFinal = true;
    h.ports.records.put = async (record) => {
      if (record.state === 'succeeded' && failFinal) {
        failFinal = false;
        throw PipelineError.transient('storage.unavailable', 'table busy');
      }
      return put(record);
    };
    await expect(h.worker.handle(request())).rejects.toThrow('table busy');
    expect(h.published.map((p) => p.repository)).toEqual(['base/srpms', 'base/x86_64']);
    expect(h.ports.successes.rows.get('azl-greeter')?.fingerprint).toBe(request().fingerprint);

    const again = await h.worker.handle(request());
    expect(again).toMatchObject({ outcome: 'finished', record: { state: 'unchanged' } });
    expect(h.published).toHaveLength(2);
  });

  it('a duplicate delivery of a finished build changes nothing and builds nothing', async () => {
    const h = harness();
    await h.worker.handle(request());
    expect(await h.worker.handle(request())).toEqual({ outcome: 'already-final' });
    expect(h.ports.builder.builds).toHaveLength(1);
    expect(h.published).toHaveLength(2);
  });

  it('retries a transient failure with backoff through a scheduled message, then succeeds', async () => {
    const h = harness();
    h.ports.preparer.failures.push(PipelineError.transient('sources.unavailable', 'lookaside answered 503'));
    expect(await h.worker.handle(request())).toEqual({ outcome: 'retry-scheduled' });
    const [retry] = h.ports.scheduler.scheduled;
    expect(retry).toMatchObject({
      why: 'retry',
      request: { attempt: 2 },
      at: new Date(now.getTime() + 1_000),
    });

    h.ports.builder.script.push({
      state: 'failed',
      code: 'build.not-started',
      retryable: true,
      message: 'no rpmbuild',
      logExcerpt: '',
    });
    expect(await h.worker.handle(retry!.request)).toEqual({ outcome: 'retry-scheduled' });
    expect(h.ports.scheduler.scheduled[1]).toMatchObject({
      request: { attempt: 3 },
      at: new Date(now.getTime() + 2_000),
    });

    const final = await h.worker.handle(h.ports.scheduler.scheduled[1]!.request);
    expect(final).toMatchObject({ outcome: 'finished', record: { state: 'succeeded', attempts: 3 } });
  });

  it('gives up after the last try: failed, with the error', async () => {
    const h = harness();
    h.ports.preparer.failures.push(PipelineError.transient('sources.unavailable', 'down'));
    const result = await h.worker.handle(request({ attempt: 3 }));
    expect(result).toMatchObject({
      outcome: 'finished',
      record: { state: 'failed', error: { code: 'sources.unavailable' } },
    });
    expect(h.ports.scheduler.scheduled).toEqual([]);
  });

  it('records overlay drift once and never retries it; a redelivery leaves it as it is', async () => {
    const h = harness();
    h.ports.preparer.failures.push(
      PipelineError.permanent('overlay.drift', 'overlay 2 no longer applies', { overlay: 2 }),
    );
    const result = await h.worker.handle(request());
    expect(result).toMatchObject({
      outcome: 'finished',
      record: { state: 'overlay-drift', error: { code: 'overlay.drift', retryable: false } },
    });
    expect(await h.worker.handle(request())).toEqual({ outcome: 'already-final' });
    expect(h.ports.scheduler.scheduled).toEqual([]);
    expect(h.ports.builder.builds).toEqual([]);
    expect(h.ports.events.published.map((e) => e.type)).toEqual(['build.overlay-drift']);
  });

  it('a compile error is permanent: failed with the log excerpt, not retried, not published', async () => {
    const h = harness();
    h.ports.builder.script.push({
      state: 'failed',
      code: 'build.compile-error',
      retryable: false,
      message: '%build failed',
      logExcerpt: 'greeter.c:3: error: expected ;',
    });
    const result = await h.worker.handle(request());
    expect(result).toMatchObject({
      outcome: 'finished',
      record: { state: 'failed', logExcerpt: 'greeter.c:3: error: expected ;' },
    });
    expect(h.published).toEqual([]);
    expect(h.ports.successes.rows.size).toBe(0);
  });

  it('skips a build superseded by a newer request for the component', async () => {
    const h = harness();
    h.latest.set('azl-greeter', {
      fingerprint: `sha256:${'2'.repeat(64)}`,
      requestedAt: '2026-12-01T11:30:00.000Z',
    });
    expect(await h.worker.handle(request())).toEqual({ outcome: 'superseded' });
    expect(h.ports.builder.builds).toEqual([]);
    const record = [...h.ports.records.rows.values()][0];
    expect(record?.state).toBe('superseded');
    // The newest request itself builds.
    const newest = await h.worker.handle(
      request({ fingerprint: `sha256:${'2'.repeat(64)}`, requestedAt: '2026-12-01T11:30:00.000Z' }),
    );
    expect(newest).toMatchObject({ outcome: 'finished' });
  });

  it('an unchanged rebuild (same contents as the last success) ends unchanged and is not republished', async () => {
    const h = harness();
    await h.worker.handle(request());
    const again = await h.worker.handle(
      request({ fingerprint: `sha256:${'3'.repeat(64)}`, requestedAt: '2026-12-01T11:45:00.000Z' }),
    );
    expect(again).toMatchObject({ outcome: 'finished', record: { state: 'unchanged' } });
    expect(h.published).toHaveLength(2);
    expect(h.ports.events.published.map((e) => e.type)).toEqual([
      'build.started',
      'build.succeeded',
      'build.started',
      'build.unchanged',
    ]);
    expect(h.ports.successes.rows.get('azl-greeter')?.fingerprint).toBe(`sha256:${'3'.repeat(64)}`);

    h.ports.inspector.digest = 'sha256:contents-2';
    const changed = await h.worker.handle(
      request({ fingerprint: `sha256:${'4'.repeat(64)}`, requestedAt: '2026-12-01T11:50:00.000Z' }),
    );
    expect(changed).toMatchObject({ outcome: 'finished', record: { state: 'succeeded' } });
    expect(h.published).toHaveLength(4);
  });

  it('waits for the earlier waves of its plan before building', async () => {
    const h = harness();
    h.unfinished.set('plan-1 1', ['azl-hello-lib']);
    expect(await h.worker.handle(request({ wave: 1 }))).toEqual({ outcome: 'waiting' });
    expect(h.ports.scheduler.scheduled[0]).toMatchObject({ why: 'wait', request: { attempt: 1 } });
    expect(h.ports.builder.builds).toEqual([]);
    h.unfinished.clear();
    expect(await h.worker.handle(request({ wave: 1 }))).toMatchObject({ outcome: 'finished' });
  });

  it('skips a dependent whose rebuild path holds a failed component when its turn comes, and records why', async () => {
    const h = harness();
    const path = [
      { from: 'glibc', buildRequire: 'glibc-devel' },
      { from: 'azl-hello-lib', buildRequire: 'libhello-devel' },
    ];
    const reasons = [{ messageId: 'm1', kind: 'built', package: 'glibc', component: 'glibc', path }];
    h.unfinished.set('plan-1 2', ['some-other-wave-1-item']);
    h.outcomes.set('plan-1 glibc', { component: 'glibc', buildId: 'glibc@00ff', state: 'failed' });
    expect(await h.worker.handle(request({ wave: 2, reasons }))).toEqual({ outcome: 'waiting' });
    h.unfinished.clear();
    h.ports.scheduler.scheduled.length = 0;
    const handled = await h.worker.handle(request({ wave: 2, reasons }));
    expect(handled).toMatchObject({
      outcome: 'finished',
      record: {
        state: 'cancelled',
        error: {
          code: 'build.dependency-failed',
          message: 'dependency-failed: glibc glibc@00ff',
          retryable: false,
        },
      },
    });
    expect(h.ports.builder.builds).toEqual([]);
    expect(h.ports.scheduler.scheduled).toEqual([]);
    expect(h.ports.events.published.map((e) => e.type)).toEqual(['build.failed']);

    // A dependent of that skipped one names the root failure, not its skipped neighbour.
    const skipped = h.ports.records.rows.get(`azl-greeter sha256:${'1'.repeat(64)}`)!;
    h.outcomes.clear();
    h.outcomes.set('plan-1 azl-greeter', {
      component: 'azl-greeter',
      buildId: skipped.buildId,
      state: skipped.state,
      ...(skipped.error ? { error: skipped.error } : {}),
    });
    const next = [
      { ...reasons[0]!, path: [...path, { from: 'azl-greeter', buildRequire: 'greeter-devel' }] },
    ];
    const third = request({
      component: 'azl-tool',
      fingerprint: `sha256:${'2'.repeat(64)}`,
      wave: 3,
      reasons: next,
    });
    expect(await h.worker.handle(third)).toMatchObject({
      record: { state: 'cancelled', error: { message: 'dependency-failed: glibc glibc@00ff' } },
    });
  });

  it('builds a later wave once the earlier ones are final, failures off its path included', async () => {
    const h = harness();
    const reasons = [
      {
        messageId: 'm1',
        kind: 'built',
        package: 'gcc',
        component: 'gcc',
        path: [{ from: 'gcc', buildRequire: 'gcc' }],
      },
    ];
    h.outcomes.set('plan-1 gcc', { component: 'gcc', buildId: 'gcc@01', state: 'succeeded' });
    h.outcomes.set('plan-1 glibc', { component: 'glibc', buildId: 'glibc@00ff', state: 'failed' });
    expect(await h.worker.handle(request({ wave: 1, reasons }))).toMatchObject({
      outcome: 'finished',
      record: { state: 'succeeded' },
    });
  });

  it('with a cloud dispatcher, starts an execution instead of building, and records it as building', async () => {
    const h = memoryWorkerPorts();
    const started: string[] = [];
    const worker = new BuildWorker(
      {
        ...h.ports,
        dispatcher: {
          name: 'container-apps-job',
          dispatch: (r) => Promise.resolve({ executionName: `job-${started.push(r.component)}` }),
        },
      },
      { clock: () => now },
    );
    expect(await worker.handle(request())).toEqual({ outcome: 'dispatched' });
    expect(started).toEqual(['azl-greeter']);
    expect(h.ports.builder.builds).toEqual([]);
    const record = [...h.ports.records.rows.values()][0];
    expect(record).toMatchObject({ state: 'building', builder: 'container-apps-job', attempts: 1 });
    expect(record?.history.at(-1)?.detail).toBe('container-apps-job execution job-1');

    // The execution failed before it could record anything: the reported failure is recorded and retried.
    const result = {
      component: 'azl-greeter',
      fingerprint: request().fingerprint,
      planId: 'plan-1',
      executionName: 'job-1',
      builder: 'rpmbuild',
      state: 'failed' as const,
      code: 'sources.unavailable',
      retryable: true,
      message: 'lookaside down',
      artifacts: [],
      nevras: [],
      startedAt: now.toISOString(),
      finishedAt: now.toISOString(),
    };
    expect(await worker.acceptResult(result)).toEqual({ outcome: 'retry-scheduled' });
    expect(h.ports.scheduler.scheduled[0]).toMatchObject({
      why: 'retry',
      request: { attempt: 2, component: 'azl-greeter' },
    });
    const permanent = { ...result, code: 'build.compile-error', retryable: false };
    expect(await worker.acceptResult(permanent)).toMatchObject({
      outcome: 'finished',
      record: { state: 'failed' },
    });
    expect(await worker.acceptResult(permanent)).toEqual({ outcome: 'already-final' });
  });

  it('reports a finished build: its span, counted and timed by outcome and builder, BuildSucceeded', async () => {
    const recorded = recordingTelemetry();
    const h = memoryWorkerPorts();
    const worker = new BuildWorker({ ...h.ports, telemetry: recorded.telemetry }, { clock: () => now });
    const sentAt = '2026-12-01T10:59:00.000Z';
    await worker.handle(request({ upstreamSentAt: sentAt }));

    const buildId = [...h.ports.records.rows.values()][0]!.buildId;
    const builder = h.ports.builder.name;
    expect(recorded.spans).toMatchObject([
      {
        name: 'build',
        ended: true,
        attributes: {
          'azl.component': 'azl-greeter',
          'azl.plan.id': 'plan-1',
          'azl.build.id': buildId,
          'azl.build.state': 'succeeded',
        },
      },
    ]);
    expect(recorded.metricsNamed('azl.builds')).toEqual([
      { name: 'azl.builds', value: 1, dimensions: { outcome: 'succeeded', builder } },
    ]);
    expect(recorded.metricsNamed('azl.build.duration')).toMatchObject([
      { dimensions: { outcome: 'succeeded', builder } },
    ]);
    expect(recorded.metricsNamed('azl.build.rpmbuild.duration')).toMatchObject([
      { dimensions: { outcome: 'succeeded' } },
    ]);
    expect(recorded.eventsNamed('BuildSucceeded')).toMatchObject([
      { properties: { component: 'azl-greeter', build_id: buildId, builder, packages: 2 } },
    ]);
    expect(h.published.map((p) => p.upstreamSentAt)).toEqual([sentAt, sentAt]);
  });

  it('reports a build that failed for good as BuildFailed with its code and the end of its log', async () => {
    const recorded = recordingTelemetry();
    const h = memoryWorkerPorts();
    const worker = new BuildWorker({ ...h.ports, telemetry: recorded.telemetry }, { clock: () => now });
    h.ports.builder.script.push({
      state: 'failed',
      code: 'build.compile-error',
      retryable: false,
      message: 'make failed',
      logExcerpt: 'error: cc1 exited',
    });
    await worker.handle(request());

    expect(recorded.metricsNamed('azl.builds')).toMatchObject([{ dimensions: { outcome: 'failed' } }]);
    expect(recorded.eventsNamed('BuildFailed')).toMatchObject([
      {
        properties: {
          component: 'azl-greeter',
          error_code: 'build.compile-error',
          retryable: false,
          log_excerpt: 'error: cc1 exited',
        },
      },
    ]);
    expect(recorded.eventsNamed('BuildSucceeded')).toEqual([]);
  });

  it('links the build span to the trace contexts of the events that caused it', async () => {
    const recorded = recordingTelemetry();
    const h = memoryWorkerPorts();
    const worker = new BuildWorker({ ...h.ports, telemetry: recorded.telemetry }, { clock: () => now });
    const causes = [
      { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
      { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' },
    ];
    await worker.handle(request({ causes }));
    expect(recorded.spans[0]?.links).toEqual(causes);
  });
});

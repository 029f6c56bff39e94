import { describe, expect, it } from 'vitest';
import { buildRequestSchema } from '../../../shared/build';
import { buildRequestsOf, PlanningService } from '../../../shared/planning-pass';
import type { PlanningDeps } from '../../../shared/planning-pass';
import { fakeDeps, model, now, policy, tagged } from '../../../testing/fakes/planner';
import {
  fixedDependencies,
  fixedModel,
  MemoryBuildQueue,
  MemoryLease,
  MemoryPending,
  MemoryPlans,
  MemoryPublisher,
  MemoryState,
} from '../../../testing/fakes/planning-ports';
import { recordingTelemetry } from '../../../testing/fakes/telemetry';

/** Every request of every plan written: the first wave's were sent by the pass, the later ones by the worker. */
const requestedBy = (h: { plans: MemoryPlans }) => h.plans.records.flatMap((r) => buildRequestsOf(r));

function harness(over: Partial<PlanningDeps> = {}, clock: () => Date = () => now) {
  const ports = {
    pending: new MemoryPending(),
    state: new MemoryState(),
    plans: new MemoryPlans(),
    builds: new MemoryBuildQueue(),
    events: new MemoryPublisher(),
    lease: new MemoryLease(),
  };
  const service = new PlanningService({
    ...ports,
    model: fixedModel(model({ name: 'zlib' }, { name: 'libpng' }, { name: 'curl' })),
    dependencies: fixedDependencies(fakeDeps({ zlib: ['libpng'] })),
    policy,
    clock,
    ...over,
  });
  return { service, ...ports };
}

describe('PlanningService', () => {
  it('reads the state of the components its event touches only', async () => {
    const h = harness();
    h.state.lastSuccessful['curl'] = 'sha256:curl';
    await h.service.accept(tagged('zlib'));
    expect(h.state.reads.flat().sort()).toEqual(['libpng', 'zlib']);
  });

  it('plans an accepted event: plan record, one valid request per component, the first wave sent, locks, plan.created', async () => {
    const h = harness();
    const event = tagged('zlib');
    const result = await h.service.accept(event);

    expect(result.ran).toBe(true);
    expect(h.plans.records).toHaveLength(1);
    const record = h.plans.records[0]!;
    expect(record.messageIds).toEqual([event.messageId]);
    expect(record.planned.map((p) => p.component)).toEqual(['zlib', 'libpng']);
    // Only the first wave goes now; libpng's request is sent from the record when zlib's build ends.
    expect(h.builds.sent.map((b) => [b.component, b.wave])).toEqual([['zlib', 0]]);
    expect(requestedBy(h).map((b) => [b.component, b.wave])).toEqual([
      ['zlib', 0],
      ['libpng', 1],
    ]);
    expect(requestedBy(h)[0]).toEqual(h.builds.sent[0]);
    for (const request of requestedBy(h)) expect(buildRequestSchema.parse(request)).toEqual(request);
    expect(h.builds.sent[0]?.upstream?.nvr).toBe(event.builds[0]?.nvr);
    expect(record.upstreams).toEqual({ zlib: { nvr: event.builds[0]?.nvr } });
    expect(h.state.requested.map((r) => r.component)).toEqual(['zlib', 'libpng']);
    expect(h.state.locks['zlib']?.nvr).toBe(event.builds[0]?.nvr);
    expect(h.state.planned.has(event.messageId)).toBe(true);
    expect(h.pending.events.size).toBe(0);
    expect(h.events.published).toMatchObject([
      { type: 'plan.created', subject: record.planId, data: { messages: 1 } },
    ]);
  });

  it('announces upstream.pinned for a pinned component whose upstream moved, with the same id on a re-run', async () => {
    const pinned = fixedModel(model({ name: 'zlib', pin: 'abc123', follows: 'pinned' }, { name: 'libpng' }));
    const h = harness({ model: pinned });
    const event = tagged('zlib');
    await h.service.accept(event);

    const record = h.plans.records[0]!;
    expect(h.builds.sent).toEqual([]);
    expect(h.events.published).toMatchObject([
      { type: 'plan.created', subject: record.planId },
      {
        type: 'upstream.pinned',
        subject: 'zlib',
        data: {
          component: 'zlib',
          pin: 'abc123',
          upstreamNvr: event.builds[0]?.nvr,
          messageId: event.messageId,
          planId: record.planId,
        },
      },
    ]);
    const again = harness({ model: pinned });
    await again.service.accept(event);
    expect(again.events.published.map((e) => e.id)).toEqual(h.events.published.map((e) => e.id));
  });

  it('never plans one message twice: a redelivery after the pass is a duplicate with no build', async () => {
    const h = harness();
    const event = tagged('zlib');
    await h.service.accept(event);
    await h.service.accept(event);

    expect(h.builds.sent).toHaveLength(1);
    expect(requestedBy(h)).toHaveLength(2);
    expect(h.plans.records[1]?.planned).toEqual([]);
    expect(h.plans.records[1]?.skipped).toMatchObject([{ messageId: event.messageId, reason: 'duplicate' }]);
  });

  it('holds a settling event as pending and plans it in a later pass once quiet', async () => {
    let clock = new Date(Date.parse('2026-03-01T10:00:10Z'));
    const h = harness({}, () => clock);
    const event = tagged('curl', { time: '2026-03-01T10:00:00Z' });
    const first = await h.service.accept(event);

    expect(first).toMatchObject({ ran: true, held: 1 });
    expect(h.plans.records).toHaveLength(0);
    expect(h.builds.sent).toHaveLength(0);
    expect(h.pending.events.has(event.messageId)).toBe(true);
    expect(h.state.planned.has(event.messageId)).toBe(false);

    clock = new Date(Date.parse('2026-03-01T10:05:00Z'));
    const later = await h.service.runPass();
    expect(later.ran).toBe(true);
    expect(h.builds.sent.map((b) => b.component)).toEqual(['curl']);
    expect(h.pending.events.size).toBe(0);
  });

  it('coalesces pending events of one component into one build carrying every cause', async () => {
    const h = harness();
    const a = tagged('curl');
    const b = tagged('curl', { time: '2026-03-01T10:01:00Z' });
    await h.pending.add(a);
    await h.service.accept(b);

    expect(h.builds.sent).toHaveLength(1);
    expect(h.builds.sent[0]?.reasons.map((r) => r.messageId)).toEqual([a.messageId, b.messageId]);
  });

  it('a pass that fails after sending builds is run again without a second build', async () => {
    const h = harness();
    const event = tagged('zlib');
    h.builds.failNext = true;
    await expect(h.service.accept(event)).rejects.toThrow('broker unavailable');
    expect(h.pending.events.has(event.messageId)).toBe(true);
    expect(h.state.planned.size).toBe(0);

    await h.service.runPass();
    await h.service.runPass();
    expect(h.builds.sent.map((b) => b.component)).toEqual(['zlib']);
    expect(h.plans.records.map((r) => r.planId)).toEqual([
      h.plans.records[0]?.planId,
      h.plans.records[0]?.planId,
    ]);
    expect(h.pending.events.size).toBe(0);
  });

  it('leaves the pass to the lease holder and keeps the event pending', async () => {
    const h = harness();
    h.lease.held = true;
    const event = tagged('zlib');
    expect(await h.service.accept(event)).toEqual({ ran: false, why: 'busy' });
    expect(h.pending.events.has(event.messageId)).toBe(true);
    expect(h.builds.sent).toHaveLength(0);
  });

  it('refreshes the dependency index on a regenerated tracked repository instead of planning', async () => {
    const refreshed: string[] = [];
    const h = harness({
      refresher: {
        trackedTags: ['f43-build'],
        refresh: (why) => Promise.resolve(void refreshed.push(why)),
      },
    });
    const repoDone = tagged('zlib', {
      kind: 'repo-regenerated',
      topic: 'org.fedoraproject.prod.buildsys.repo.done',
      packages: [],
      builds: [],
      tag: 'f43-build',
    });
    await h.service.accept(repoDone);
    await h.service.accept({ ...repoDone, messageId: 'other-tag', tag: 'f42-build' });

    expect(refreshed).toHaveLength(1);
    expect(refreshed[0]).toContain('f43-build');
    expect(h.builds.sent).toHaveLength(0);
  });

  it('records the model and index versions it planned with', async () => {
    const h = harness({ dependencies: fixedDependencies(fakeDeps({}), 'etag-7') });
    await h.service.accept(tagged('curl'));
    expect(h.plans.records[0]).toMatchObject({ modelVersion: 'model-1', indexVersion: 'etag-7' });
  });

  it('plans an event that arrived during a pass in another pass at once, not at the next timer', async () => {
    const h = harness();
    const late = tagged('curl');
    const send = h.builds.send.bind(h.builds);
    let arrived = false;
    h.builds.send = async (requests) => {
      if (!arrived) {
        arrived = true;
        await h.pending.add(late); // its own accept would find the lease taken
      }
      return send(requests);
    };
    await h.service.accept(tagged('zlib'));
    expect(h.builds.sent.map((b) => b.component)).toEqual(['zlib', 'curl']);
    expect(requestedBy(h).map((b) => b.component)).toEqual(['zlib', 'libpng', 'curl']);
    expect(h.pending.events.size).toBe(0);
    expect(h.plans.records).toHaveLength(2);
  });

  it('runs each pass in a span, times it, and reports the plan it wrote (size, PlanCreated); carries the sent time on', async () => {
    const recorded = recordingTelemetry();
    const h = harness({ telemetry: recorded.telemetry });
    const event = tagged('zlib', { time: '2026-03-01T09:59:00Z' });
    await h.service.accept(event);
    const planId = h.plans.records[0]!.planId;

    expect(recorded.spans).toMatchObject([
      {
        name: 'planning pass',
        ended: true,
        attributes: { 'azl.plan.trigger': 'event', 'azl.plan.id': planId, 'azl.plan.items': 2 },
      },
    ]);
    expect(recorded.metricsNamed('azl.planning.pass.duration')).toMatchObject([
      { dimensions: { outcome: 'planned' } },
    ]);
    expect(recorded.metricsNamed('azl.plan.items')).toEqual([
      { name: 'azl.plan.items', value: 2, dimensions: { trigger: 'event' } },
    ]);
    expect(recorded.eventsNamed('PlanCreated')).toEqual([
      {
        name: 'PlanCreated',
        properties: { plan_id: planId, trigger: 'event', items: 2, components: 'zlib libpng' },
      },
    ]);
    // The later wave's request, built from the record, carries the same sent time.
    expect(requestedBy(h).map((b) => b.upstreamSentAt)).toEqual([
      '2026-03-01T09:59:00Z',
      '2026-03-01T09:59:00Z',
    ]);
    expect(h.builds.sent.map((b) => b.upstreamSentAt)).toEqual(['2026-03-01T09:59:00Z']);

    await h.service.runPass();
    expect(recorded.metricsNamed('azl.plan.items')).toHaveLength(1);
  });

  it("keeps the trace an event arrived in: its plan item's build request carries it as its cause", async () => {
    const recorded = recordingTelemetry();
    const h = harness({ telemetry: recorded.telemetry });
    const upstream = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    await recorded.telemetry.span('process ingest', {}, () => h.service.accept(tagged('zlib')), {
      kind: 'consumer',
      parent: { traceparent: upstream },
    });
    const process = recorded.spans.find((s) => s.name === 'process ingest')!;
    const cause = `00-0af7651916cd43dd8448eb211c80319c-${process.spanId}-01`;

    expect(h.plans.records[0]?.traces).toEqual({
      zlib: [{ traceparent: cause }],
      libpng: [{ traceparent: cause }],
    });
    expect(requestedBy(h).map((b) => b.causes)).toEqual([[{ traceparent: cause }], [{ traceparent: cause }]]);
    expect(h.builds.sent.map((b) => b.causes)).toEqual([[{ traceparent: cause }]]);
  });
});

describe('PlanningService: a burst is planned once it stops arriving', () => {
  const burst = { quietMs: 20_000, maxWaitMs: 300_000 };
  /** A harness whose clock the test moves; `policy.debounceMs` is the sent-time rule, off here. */
  function burstHarness() {
    let at = now.getTime();
    const h = harness({ burst, policy: { ...policy, debounceMs: 0 } }, () => new Date(at));
    return { ...h, advance: (seconds: number) => (at += seconds * 1000) };
  }

  it('holds passes while events arrive, then plans every event of the burst in one plan', async () => {
    const h = burstHarness();
    const zlib = tagged('zlib');
    const curl = tagged('curl');
    expect(await h.service.accept(zlib)).toEqual({ ran: false, why: 'burst' });
    h.advance(5);
    expect(await h.service.accept(curl)).toEqual({ ran: false, why: 'burst' });
    h.advance(20); // curl arrived 20 s ago: still inside the quiet period
    expect(await h.service.runPass()).toEqual({ ran: false, why: 'burst' });
    expect(h.plans.records).toHaveLength(0);
    expect(h.pending.events.size).toBe(2);

    h.advance(1);
    const result = await h.service.runPass();
    expect(result.ran).toBe(true);
    expect(h.plans.records).toHaveLength(1);
    expect([...(h.plans.records[0]?.messageIds ?? [])].sort()).toEqual(
      [zlib.messageId, curl.messageId].sort(),
    );
    expect(requestedBy(h).map((b) => b.component)).toEqual(['curl', 'zlib', 'libpng']);
    expect(h.pending.events.size).toBe(0);
  });

  it('plans a stream that never pauses once its oldest event has waited the maximum', async () => {
    const h = burstHarness();
    const first = tagged('zlib');
    expect(await h.service.accept(first)).toEqual({ ran: false, why: 'burst' });
    const results = [];
    for (let i = 0; i < 31; i++) {
      h.advance(10);
      results.push(await h.service.accept(tagged(i % 2 === 0 ? 'curl' : 'libpng')));
    }
    // Once the first event has waited longer than 300 s the stream is planned whole, though the newest
    // arrived just now.
    expect(results.slice(0, 30).every((r) => !r.ran && r.why === 'burst')).toBe(true);
    expect(results[30]?.ran).toBe(true);
    expect(h.plans.records).toHaveLength(1);
    expect(h.plans.records[0]?.messageIds).toHaveLength(32);
    expect(h.pending.events.size).toBe(0);
  });

  it('leaves an event that arrives during a pass to the pass after the quiet period', async () => {
    const h = burstHarness();
    await h.service.accept(tagged('zlib'));
    h.advance(25);
    const late = tagged('curl');
    const send = h.builds.send.bind(h.builds);
    h.builds.send = async (requests) => {
      if (!h.pending.events.has(late.messageId) && h.builds.sent.length === 0)
        await h.pending.add(late, { receivedAt: new Date(now.getTime() + 25_000) });
      return send(requests);
    };
    expect((await h.service.runPass()).ran).toBe(true);
    expect(h.plans.records).toHaveLength(1);
    expect(h.pending.events.has(late.messageId)).toBe(true);
    h.advance(21);
    await h.service.runPass();
    expect(h.plans.records).toHaveLength(2);
    expect(h.pending.events.size).toBe(0);
  });

  it('holds an accepted event of a burst without looking up arrivals; the timer pass looks', async () => {
    const h = burstHarness();
    const lookups: string[] = [];
    const since = h.pending.receivedSince.bind(h.pending);
    const before = h.pending.receivedBefore.bind(h.pending);
    h.pending.receivedSince = (at) => (lookups.push('since'), since(at));
    h.pending.receivedBefore = (at) => (lookups.push('before'), before(at));
    for (let i = 0; i < 50; i++) {
      h.advance(1);
      expect(await h.service.accept(tagged(i % 2 === 0 ? 'curl' : 'zlib'))).toEqual({
        ran: false,
        why: 'burst',
      });
    }
    expect(lookups).toEqual([]);
    h.advance(21);
    expect((await h.service.runPass()).ran).toBe(true);
    // One look before the pass, one before the pass that would plan what arrived during it.
    expect(lookups).toEqual(['since', 'since']);
    expect(h.plans.records).toHaveLength(1);
  });

  it('plans at once when coalescing is off (a quiet period of 0)', async () => {
    const h = harness({ burst: { quietMs: 0, maxWaitMs: 300_000 } });
    expect((await h.service.accept(tagged('zlib'))).ran).toBe(true);
  });
});

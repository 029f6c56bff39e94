import { describe, expect, it } from 'vitest';
import { plan } from '../../../shared/planner';
import { PlanningService } from '../../../shared/planning-pass';
import { emptyState, fakeDeps, model, now, policy, tagged } from '../../../testing/fakes/planner';
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

/** Ten seconds before `now`: inside the 60-second window of the live policy. */
const JUST_NOW = '2026-03-01T11:59:50Z';
const noWindow = { ...policy, debounceMs: 0 };

describe('the decision order: duplicates and relevance, pins, then debounce', () => {
  it('a pinned component is reported pinned even while its newest event is inside the window', () => {
    const event = tagged('shim', { time: JUST_NOW });
    const result = plan(
      [event],
      model({ name: 'shim', pin: 'abc', follows: 'pinned' }),
      fakeDeps({}),
      emptyState,
      policy,
      now,
    );
    expect(result.skipped).toMatchObject([
      { component: 'shim', reason: 'pinned', pin: 'abc', upstreamNvr: event.builds[0]?.nvr },
    ]);
  });

  it('an irrelevant event is reported for what it is inside the window, a relevant one settles', () => {
    const events = [
      tagged('foo', { time: JUST_NOW, release: 'f42', tag: 'f42-updates' }),
      tagged('bar', { time: JUST_NOW, kind: 'update-testing' }),
      tagged('baz', { time: JUST_NOW }),
    ];
    const m = model({ name: 'foo' }, { name: 'bar' }, { name: 'baz' });
    const result = plan(events, m, fakeDeps({}), emptyState, policy, now);
    expect(result.skipped.map((s) => [s.component, s.reason])).toEqual([
      ['foo', 'release-mismatch'],
      ['bar', 'testing-only'],
      ['baz', 'settling'],
    ]);
    expect(result.skipped[2]?.detail).toBe('newest event is inside the 60-second debounce window');
  });

  it('with no window (debounceMs 0) an event of this very second, or dated after now, is planned', () => {
    const events = [
      tagged('foo', { time: '2026-03-01T12:00:00Z' }),
      tagged('bar', { time: '2026-03-01T12:00:05Z' }),
    ];
    const m = model({ name: 'foo' }, { name: 'bar' });
    const result = plan(events, m, fakeDeps({}), emptyState, noWindow, now);
    expect(result.planned.map((p) => p.component)).toEqual(['bar', 'foo']);
    expect(result.skipped).toEqual([]);
  });

  it('a message repeated in the batch is a duplicate of its first copy, the first copy in input order decides', () => {
    // The same message id twice; the second copy even claims an earlier time and another build.
    const first = tagged('foo', { time: '2026-03-01T10:00:00Z' });
    const repeat = {
      ...first,
      time: '2026-03-01T09:00:00Z',
      builds: [{ ...first.builds[0]!, nvr: 'foo-9-9.fc43' }],
    };
    const result = plan([first, repeat], model({ name: 'foo' }), fakeDeps({}), emptyState, noWindow, now);
    expect(result.planned.map((p) => p.component)).toEqual(['foo']);
    expect(result.locks.foo?.nvr).toBe(first.builds[0]?.nvr);
    expect(result.skipped).toEqual([
      {
        messageId: first.messageId,
        reason: 'duplicate',
        detail: `repeats message ${first.messageId}, whose first copy in this batch is the one decided`,
      },
    ]);
  });

  it('a message planned by an earlier plan is "already planned", every copy of it', () => {
    const event = tagged('foo');
    const state = { ...emptyState, plannedMessageIds: new Set([event.messageId]) };
    const result = plan([event, event], model({ name: 'foo' }), fakeDeps({}), state, noWindow, now);
    expect(result.planned).toEqual([]);
    expect(result.skipped.map((s) => s.detail)).toEqual([
      'already planned by an earlier plan',
      'already planned by an earlier plan',
    ]);
  });
});

describe('the live planning pass decides in the same order', () => {
  it('decides a pinned component at once (upstream.pinned, nothing left pending) while a relevant one settles', async () => {
    const pending = new MemoryPending();
    const events = new MemoryPublisher();
    const service = new PlanningService({
      pending,
      state: new MemoryState(),
      plans: new MemoryPlans(),
      builds: new MemoryBuildQueue(),
      events,
      lease: new MemoryLease(),
      model: fixedModel(model({ name: 'zlib', pin: 'abc123', follows: 'pinned' }, { name: 'curl' })),
      dependencies: fixedDependencies(fakeDeps({})),
      policy,
      clock: () => now,
    });
    const pinnedEvent = tagged('zlib', { time: JUST_NOW });
    const settlingEvent = tagged('curl', { time: JUST_NOW });
    await service.accept(pinnedEvent);
    const result = await service.accept(settlingEvent);

    expect(result).toMatchObject({ ran: true, held: 1 });
    expect([...pending.events.keys()]).toEqual([settlingEvent.messageId]);
    expect(events.published.filter((e) => e.type === 'upstream.pinned')).toMatchObject([
      { subject: 'zlib', data: { messageId: pinnedEvent.messageId, pin: 'abc123' } },
    ]);
  });
});

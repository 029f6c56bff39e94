import { describe, expect, it } from 'vitest';
import { plan } from '../../../shared/planner';
import { emptyState, fakeDeps, model, now, policy, tagged } from '../../../testing/fakes/planner';

const SO1 = 'libfoo.so.1()(64bit)';
const SO2 = 'libfoo.so.2()(64bit)';

describe('plan', () => {
  it('plans the direct component of a stable tag and moves its lock', () => {
    const event = tagged('foo');
    const result = plan([event], model({ name: 'foo' }), fakeDeps({}), emptyState, policy, now);
    expect(result.planned.map((p) => p.component)).toEqual(['foo']);
    expect(result.locks.foo?.nvr).toBe(event.builds[0]?.nvr);
    expect(result.planned[0]?.reasons[0]?.messageId).toBe(event.messageId);
  });

  it('reports a pinned component with the new upstream NVR and does not plan it', () => {
    const event = tagged('shim');
    const result = plan(
      [event],
      model({ name: 'shim', pin: 'abc', follows: 'pinned' }),
      fakeDeps({}),
      emptyState,
      policy,
      now,
    );
    expect(result.planned).toEqual([]);
    expect(result.skipped).toMatchObject([
      { component: 'shim', reason: 'pinned', upstreamNvr: event.builds[0]?.nvr },
    ]);
    expect(result.locks).toEqual({});
  });

  it('skips another release, a testing update, a failed build and an untag', () => {
    const events = [
      tagged('foo', { release: 'f42', tag: 'f42-updates' }),
      tagged('foo', { kind: 'update-testing' }),
      tagged('foo', { kind: 'build-failed' }),
      tagged('foo', { kind: 'untagged' }),
    ];
    const result = plan(events, model({ name: 'foo' }), fakeDeps({}), emptyState, policy, now);
    expect(result.planned).toEqual([]);
    expect(result.skipped.map((s) => s.reason)).toEqual([
      'release-mismatch',
      'testing-only',
      'failed-build',
      'untagged',
    ]);
  });

  it('rebuilds dependents transitively when a soname changes, in waves', () => {
    const m = model({ name: 'foo' }, { name: 'bar' }, { name: 'baz' }, { name: 'other' });
    const deps = fakeDeps({ foo: ['bar'], bar: ['baz'] }, { foo: [SO2] });
    const state = { ...emptyState, components: { foo: { lock: { messageId: 'old', provides: [SO1] } } } };
    const result = plan([tagged('foo')], m, deps, state, policy, now);
    expect(result.planned.map((p) => [p.component, p.wave])).toEqual([
      ['foo', 0],
      ['bar', 1],
      ['baz', 2],
    ]);
    const baz = result.planned.find((p) => p.component === 'baz');
    expect(baz?.reasons[0]?.changedProvides).toEqual([`+${SO2}`, `-${SO1}`]);
    expect(baz?.reasons[0]?.path?.map((h) => h.from)).toEqual(['foo', 'bar']);
    expect(baz?.reasons[0]?.component).toBe('foo');
    expect(baz?.priority).toBeLessThan(result.planned[0]?.priority ?? 0);
  });

  it('gives a dependent one reason per changed component, each naming it and starting its path there', () => {
    // a and b both change; b is also a's dependent, and c depends on b (so on a too, through b).
    const m = model({ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd' });
    const deps = fakeDeps({ a: ['b', 'd'], b: ['c'] });
    const [ea, eb] = [tagged('a'), tagged('b')];
    const result = plan([ea, eb] as const, m, deps, emptyState, policy, now);
    const reasonsOf = (name: string) => result.planned.find((p) => p.component === name)?.reasons ?? [];
    const summary = (name: string) =>
      reasonsOf(name).map((r) => [r.component, r.messageId, (r.path ?? []).map((h) => h.from)]);
    expect(summary('b')).toEqual([
      ['b', eb.messageId, []],
      ['a', ea.messageId, ['a']],
    ]);
    expect(summary('c')).toEqual([
      ['a', ea.messageId, ['a', 'b']],
      ['b', eb.messageId, ['b']],
    ]);
    // b and d are reached from a through the same BuildRequire: they share the reason, and it is a's.
    expect(reasonsOf('d')[0]).toBe(reasonsOf('b')[1]);
  });

  it('plans only the direct component when the provides did not change ABI-wise', () => {
    const deps = fakeDeps({ foo: ['bar'] }, { foo: [SO1, 'foo = 1.1-1'] });
    const state = {
      ...emptyState,
      components: { foo: { lock: { messageId: 'old', provides: [SO1, 'foo = 1.0-1'] } } },
    };
    const result = plan([tagged('foo')], model({ name: 'foo' }, { name: 'bar' }), deps, state, policy, now);
    expect(result.planned.map((p) => p.component)).toEqual(['foo']);
  });

  it('never plans a message twice', () => {
    const event = tagged('foo');
    const state = { ...emptyState, plannedMessageIds: new Set([event.messageId]) };
    const again = plan([event, event], model({ name: 'foo' }), fakeDeps({}), state, policy, now);
    expect(again.planned).toEqual([]);
    expect(again.skipped.map((s) => s.reason)).toEqual(['duplicate', 'duplicate']);
    const once = plan([event, event], model({ name: 'foo' }), fakeDeps({}), emptyState, policy, now);
    expect(once.planned).toHaveLength(1);
  });

  it('coalesces a burst of 5,000 tag events into one item per component', () => {
    const names = Array.from({ length: 50 }, (_, i) => `pkg${i}`);
    const events = Array.from({ length: 5000 }, (_, i) => tagged(names[i % 50] ?? ''));
    const result = plan(
      events,
      model(...names.map((name) => ({ name }))),
      fakeDeps({}),
      emptyState,
      policy,
      now,
    );
    expect(result.planned).toHaveLength(50);
    expect(new Set(result.planned.map((p) => p.component)).size).toBe(50);
    expect(result.planned[0]?.reasons).toHaveLength(100);
  });

  it('breaks a dependency cycle by name and reports it', () => {
    const m = model({ name: 'a' }, { name: 'b' }, { name: 'c' });
    const deps = fakeDeps({ a: ['b'], b: ['c'], c: ['a'] });
    const result = plan([tagged('a'), tagged('b'), tagged('c')], m, deps, emptyState, policy, now);
    expect(result.planned.map((p) => [p.component, p.wave])).toEqual([
      ['a', 0],
      ['b', 1],
      ['c', 2],
    ]);
    expect(result.cycles).toEqual([{ components: ['a', 'b', 'c'], broken: [{ from: 'c', to: 'a' }] }]);
  });

  it('skips a component whose inputs equal the last successful build', () => {
    const event = tagged('foo');
    const first = plan([event], model({ name: 'foo' }), fakeDeps({}), emptyState, policy, now);
    const state = {
      ...emptyState,
      components: { foo: { lastSuccessfulFingerprint: first.planned[0]?.fingerprint } },
    };
    const replay = tagged('foo', { builds: event.builds, kind: 'update-stable', tag: undefined });
    const result = plan([replay], model({ name: 'foo' }), fakeDeps({}), state, policy, now);
    expect(result.skipped).toMatchObject([{ component: 'foo', reason: 'unchanged' }]);
  });

  it('plans a dist-git push only for a head-following component', () => {
    const push = (pkg: string) =>
      tagged(pkg, {
        kind: 'dist-git-push',
        branch: 'rawhide',
        release: 'rawhide',
        commit: 'c0ffee',
        builds: [],
      });
    const m = model(
      { name: 'head', branch: 'rawhide', follows: 'head' },
      { name: 'snap', branch: 'rawhide' },
    );
    const result = plan([push('head'), push('snap')], m, fakeDeps({}), emptyState, policy, now);
    expect(result.planned.map((p) => p.component)).toEqual(['head']);
    expect(result.locks.head?.commit).toBe('c0ffee');
    expect(result.skipped).toMatchObject([{ component: 'snap', reason: 'not-following-head' }]);
  });

  it('holds events inside the debounce window and applies the budget by priority', () => {
    const recent = tagged('foo', { time: '2026-03-01T11:59:50Z' });
    expect(
      plan([recent], model({ name: 'foo' }), fakeDeps({}), emptyState, policy, now).skipped[0]?.reason,
    ).toBe('settling');
    const m = model({ name: 'a' }, { name: 'z' });
    const result = plan(
      [tagged('a', { tag: 'f43-rebuild' }), tagged('z')],
      m,
      fakeDeps({}),
      emptyState,
      { ...policy, budget: 1 },
      now,
    );
    expect(result.planned.map((p) => p.component)).toEqual(['z']);
    expect(result.skipped).toMatchObject([{ component: 'a', reason: 'over-budget' }]);
  });
});

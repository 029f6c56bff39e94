import { describe, expect, it } from 'vitest';
import { abiChanges, plan } from '../../../shared/planner';
import { emptyState, fakeDeps, model, now, policy, tagged } from '../../../testing/fakes/planner';

describe('abiChanges', () => {
  it('compares sonames exactly and versioned provides by name', () => {
    expect(abiChanges(['libfoo.so.1()(64bit)', 'foo = 1.0'], ['libfoo.so.1()(64bit)', 'foo = 1.1'])).toEqual(
      [],
    );
    expect(abiChanges(['foo = 1.0'], ['foo = 1.1', 'pkgconfig(foo) = 1.1'])).toEqual([
      '+pkgconfig(foo) = 1.1',
    ]);
    expect(abiChanges(['libfoo.so.1()(64bit)', 'bar'], ['libfoo.so.2()(64bit)'])).toEqual([
      '+libfoo.so.2()(64bit)',
      '-libfoo.so.1()(64bit)',
    ]);
  });
});

describe('relevance', () => {
  it('takes the configured rawhide tag as the stable tag of rawhide', () => {
    const m = model({ name: 'foo', branch: 'rawhide' });
    const event = tagged('foo', { tag: 'f44', release: 'f44' });
    expect(plan([event], m, fakeDeps({}), emptyState, policy, now).planned).toHaveLength(1);
    const other = tagged('foo', { tag: 'f44-updates-candidate', release: 'f44' });
    expect(plan([other], m, fakeDeps({}), emptyState, policy, now).skipped[0]?.reason).toBe('not-stable-tag');
  });

  it('skips scratch builds and packages no component follows', () => {
    const scratch = tagged('foo', {
      kind: 'build-complete',
      topic: 'org.fedoraproject.prod.buildsys.build.state.change',
      kojiBuildId: undefined,
      kojiTaskId: 9,
      builds: [],
    });
    const result = plan(
      [scratch, tagged('nobody')],
      model({ name: 'foo' }),
      fakeDeps({}),
      emptyState,
      policy,
      now,
    );
    expect(result.skipped.map((s) => s.reason)).toEqual(['scratch-build', 'unknown-package']);
  });
});

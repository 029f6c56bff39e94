import { describe, expect, it } from 'vitest';
import { plan, plannedFingerprint } from '../../../shared/planner';
import type { ComponentState, PlannerState } from '../../../shared/planner';
import { planWithStateOnDemand } from '../../../shared/planning-pass';
import { fakeDeps, model, now, policy, tagged } from '../../../testing/fakes/planner';

const tree = model(
  { name: 'zlib' },
  { name: 'libpng' },
  { name: 'curl' },
  { name: 'gtk' },
  { name: 'unrelated', rebuild: 'direct' },
);
const deps = fakeDeps({ zlib: ['libpng', 'curl'], libpng: ['gtk'] }, { zlib: ['libz.so.1()(64bit)'] });

/** A stored table: what the whole-table read used to load, and what `statesOf` answers from. */
function table(states: Record<string, ComponentState>) {
  const reads: string[][] = [];
  const read = (names: readonly string[]) => {
    reads.push([...names]);
    return Promise.resolve(Object.fromEntries(names.filter((n) => n in states).map((n) => [n, states[n]!])));
  };
  return { reads, read };
}

describe('planWithStateOnDemand', () => {
  it('reads only the components the plan touches and makes the plan of the whole state', async () => {
    const events = [tagged('zlib')];
    const stored: Record<string, ComponentState> = {
      libpng: { lock: { messageId: 'old', nvr: 'libpng-1-1.fc43' } },
      unrelated: { lastSuccessfulFingerprint: 'sha256:x' },
    };
    const { reads, read } = table(stored);
    const decide = (state: PlannerState) => plan(events, tree, deps, state, policy, now);

    const result = await planWithStateOnDemand(decide, new Set(), read);

    expect(result.plan).toEqual(decide({ components: stored, plannedMessageIds: new Set() }));
    expect(result.plan.planned.map((p) => p.component)).toEqual(['zlib', 'curl', 'libpng', 'gtk']);
    expect(reads.flat().sort()).toEqual(['curl', 'gtk', 'libpng', 'zlib']);
    expect(result).toMatchObject({ runs: 2, read: 4 });
  });

  it('an unchanged component stops the plan at its own state: its dependents are never read', async () => {
    const event = tagged('zlib');
    const decide = (state: PlannerState) => plan([event], tree, deps, state, policy, now);
    // The fingerprint the plan would give zlib now: its last successful build had the same inputs.
    const first = decide({ components: {}, plannedMessageIds: new Set() });
    const fingerprint = first.planned.find((p) => p.component === 'zlib')!.fingerprint;
    expect(fingerprint).toBe(plannedFingerprint('fp-zlib', first.locks['zlib']!));
    const { read } = table({ zlib: { lastSuccessfulFingerprint: fingerprint } });

    const result = await planWithStateOnDemand(decide, new Set(), read);

    expect(result.plan.planned).toEqual([]);
    expect(result.plan.skipped).toMatchObject([{ component: 'zlib', reason: 'unchanged' }]);
  });

  it('passes the planned message ids through: a planned event reads no state at all', async () => {
    const event = tagged('zlib');
    const { reads, read } = table({});
    const result = await planWithStateOnDemand(
      (state) => plan([event], tree, deps, state, policy, now),
      new Set([event.messageId]),
      read,
    );
    expect(result.plan.planned).toEqual([]);
    expect(reads).toEqual([]);
    expect(result.runs).toBe(1);
  });
});

import type { ComponentState, Plan, PlannerState } from '../planner';

/** Reads the state of exactly these components (absent ones are simply left out of the answer). */
export type ComponentStateReader = (
  components: readonly string[],
) => Promise<Readonly<Record<string, ComponentState>>>;

export interface PlanOnDemand {
  readonly plan: Plan;
  /** How many times the planner ran (the last run saw the state of every component it asked for). */
  readonly runs: number;
  /** The components whose state was read. */
  readonly read: number;
}

/**
 * Plans with the state of only the components the plan touches, so a pass costs O(its own work) and not
 * O(distribution). The planner is pure and synchronous and cannot ask storage as it goes, so the pass learns
 * what it needs by planning: a run sees the states read so far through a view that records every component it
 * looks up and has not been read; those are read and the planner runs again, until a run asks for nothing new.
 * The answer is the plan of the last run, which saw the stored state of every component it consulted: the same
 * plan the planner makes from the whole table. It ends: each further run reads at least one more of the
 * finitely many components. With no state the planner treats every direct change as new and rebuilds all
 * its dependents, so the first run asks for (about) everything the later ones do: in practice, two runs.
 */
export async function planWithStateOnDemand(
  decide: (state: PlannerState) => Plan,
  plannedMessageIds: ReadonlySet<string>,
  readStates: ComponentStateReader,
): Promise<PlanOnDemand> {
  const known = new Map<string, ComponentState | undefined>();
  for (let runs = 1; ; runs++) {
    const missing = new Set<string>();
    const plan = decide({ components: recordingView(known, missing), plannedMessageIds });
    if (missing.size === 0) return { plan, runs, read: known.size };
    const names = [...missing];
    const states = await readStates(names);
    for (const name of names) known.set(name, Object.hasOwn(states, name) ? states[name] : undefined);
  }
}

/**
 * `PlannerState.components` over the states read so far: a lookup of a component not read yet answers "no
 * state" and adds it to `missing`. Only own string keys are answered, as on the plain record it stands for.
 */
function recordingView(
  known: ReadonlyMap<string, ComponentState | undefined>,
  missing: Set<string>,
): Readonly<Record<string, ComponentState>> {
  const lookup = (name: string | symbol): ComponentState | undefined => {
    if (typeof name !== 'string') return undefined;
    if (!known.has(name)) missing.add(name);
    return known.get(name);
  };
  return new Proxy(Object.create(null) as Record<string, ComponentState>, {
    get: (_target, name) => lookup(name),
    has: (_target, name) => lookup(name) !== undefined,
    getOwnPropertyDescriptor: (_target, name) => {
      const value = lookup(name);
      return value === undefined
        ? undefined
        : { value, writable: false, enumerable: true, configurable: true };
    },
    ownKeys: () => [...known].filter(([, state]) => state !== undefined).map(([name]) => name),
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
}

import type { DependencyView, PlannerModel, RebuildPolicy } from '../../shared/planner';
import { mulberry32 } from '../seeded-random';
import { model } from './planner';

/** A generated distribution for the planner: its model, dependency view and reverse edges. */
export interface GeneratedGraph {
  readonly names: readonly string[];
  readonly model: PlannerModel;
  readonly deps: DependencyView;
  /** source → its reverse build dependents, as `[dependent, BuildRequire]` in listing order. */
  readonly edges: ReadonlyMap<string, readonly (readonly [string, string])[]>;
}

/**
 * A seeded, Fedora-shaped reverse build-dependency graph over `size` components `c0…`: a few hubs most
 * components BuildRequire, a skewed tail of other earlier components, some through two BuildRequires (two
 * paths from one component), a few back edges (cycles), and sources outside the model (`x0…`) that the walk
 * must not cross. Rebuild policies are mostly `transitive`, with some `direct` and `local` when `mixed`.
 */
export function generatedGraph(size: number, seed: number, mixed = false): GeneratedGraph {
  const random = mulberry32(seed);
  const names = Array.from({ length: size }, (_, i) => `c${i}`);
  const outside = Array.from({ length: Math.max(1, Math.floor(size / 50)) }, (_, i) => `x${i}`);
  const edges = new Map<string, [string, string][]>();
  const add = (source: string, dependent: string, buildRequire: string): void => {
    const list = edges.get(source) ?? [];
    if (list.length === 0) edges.set(source, list);
    list.push([dependent, buildRequire]);
  };
  const hubs = Math.max(1, Math.floor(size / 200));
  for (let i = 1; i < size; i++) {
    const dependent = names[i] as string;
    const requires = new Set<number>();
    for (let h = 0; h < hubs && h < i; h++) if (random() < 0.6) requires.add(h);
    const tail = Math.floor(random() * 4);
    for (let k = 0; k < tail; k++) requires.add(Math.floor(Math.pow(random(), 2) * i));
    for (const r of requires) {
      const source = names[r] as string;
      add(source, dependent, `${source}-devel`);
      if (random() < 0.1) add(source, dependent, `lib${source}.so.1()(64bit)`);
    }
    if (random() < 0.02) add(dependent, names[Math.floor(random() * i)] as string, `${dependent}-tools`);
    if (random() < 0.05) {
      const via = outside[Math.floor(random() * outside.length)] as string;
      add(dependent, via, `${dependent}-devel`);
      add(via, names[Math.min(size - 1, i + 1)] as string, `${via}-devel`);
    }
  }
  const policyOf = (): RebuildPolicy => {
    if (!mixed) return 'transitive';
    const r = random();
    return r < 0.7 ? 'transitive' : r < 0.9 ? 'direct' : 'local';
  };
  const deps: DependencyView = {
    sourceOfBinary: (name) => name,
    binariesOfSource: (source) => [source],
    reverseBuildDependents: (source) =>
      (edges.get(source) ?? []).map(([dependent, buildRequire]) => ({ source: dependent, buildRequire })),
    providesOf: () => [],
  };
  return { names, model: model(...names.map((name) => ({ name, rebuild: policyOf() }))), deps, edges };
}

import { loadRepository } from '../infra/deps/load-repository';
import { DepsIndex } from '../shared/deps/dep-index';
import type { UpstreamEvent } from '../shared/fedora/upstream-event';
import { defaultPolicy, plan } from '../shared/planner';
import type { PlannerComponent, PlannerModel, PlannerPolicy, PlannerState } from '../shared/planner';
import { dependencyViewOf } from '../shared/planner/deps-view';
import { round } from '../testing/measure';
import { withBenchRepodata } from './bench-repodata';
import { HUBS } from '../testing/rpm/repodata-generator';

export interface PlanLatencyFigures {
  sources: number;
  components: number;
  leaf: EventFigures;
  root: EventFigures;
}

interface EventFigures {
  package: string;
  warmUpRuns: number;
  planned: number;
  waves: number;
  cycles: number;
  runs: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Plan latency per event over the Fedora-scale generated graph (every source package a component that follows
 * f43): a tagged build of a leaf package (nothing build-requires it), and an ABI-changing build of the glibc-like
 * root under the `transitive` policy with no budget, so the plan is the whole closure of its reverse build
 * dependents ordered in waves. The index is built before the clock starts.
 */
export async function measurePlanLatency(sources = 25_000): Promise<PlanLatencyFigures> {
  return withBenchRepodata(sources, async (repo) => {
    const index = new DepsIndex();
    await loadRepository(repo.binary, index);
    await loadRepository(repo.source, index);
    const view = dependencyViewOf(index);
    const names = Array.from({ length: sources }, (_, i) => HUBS[i] ?? `pkg${i.toString(36)}`);
    const model: PlannerModel = { components: new Map(names.map((name) => [name, component(name)])) };
    const policy: PlannerPolicy = { ...defaultPolicy, debounceMs: 0, budget: Number.MAX_SAFE_INTEGER };
    // A leaf: the first source nothing build-requires.
    const leaf = names.find((name) => view.reverseBuildDependents(name).length === 0) ?? 'pkg0';
    const root = HUBS[0] ?? 'glibc';
    // The root's locked provides differ from its current ones (a soname bump), so the ABI gate opens.
    const rootState: PlannerState = {
      components: { [root]: { lock: { messageId: 'old', provides: ['libc.so.5()(64bit)'] } } },
      plannedMessageIds: new Set(),
    };
    const empty: PlannerState = { components: {}, plannedMessageIds: new Set() };
    return {
      sources,
      components: model.components.size,
      leaf: measure(leaf, 500, (event) => plan([event], model, view, empty, policy, NOW)),
      root: measure(root, 300, (event) => plan([event], model, view, rootState, policy, NOW)),
    };
  });
}

const NOW = new Date('2026-12-01T12:00:00Z');

function component(name: string): PlannerComponent {
  return {
    name,
    upstreamName: name,
    branch: 'f43',
    follows: 'snapshot',
    rebuild: 'transitive',
    fingerprint: `fp-${name}`,
  };
}

function tagged(pkg: string, n: number): UpstreamEvent {
  return {
    messageId: `bench-${pkg}-${n}`,
    topic: 'org.fedoraproject.prod.buildsys.tag',
    kind: 'tagged',
    packages: [pkg],
    builds: [{ name: pkg, version: '2.0', release: `${n}.fc43`, nvr: `${pkg}-2.0-${n}.fc43` }],
    tag: 'f43-updates',
    release: 'f43',
    time: '2026-12-01T10:00:00Z',
    severity: 'info',
  };
}

/**
 * Warm-up runs before the clock starts: the first plans of a kind run before the JIT has optimized the
 * planner (the first two root plans take three times as long), and a p99 over a few more runs than that
 * would be a figure of the compiler, not of the planner in a long-running function instance.
 */
const WARM_UP_RUNS = 10;

function measure(
  pkg: string,
  runs: number,
  planOne: (event: UpstreamEvent) => ReturnType<typeof plan>,
): EventFigures {
  for (let i = 0; i < WARM_UP_RUNS; i++) planOne(tagged(pkg, 10_000 + i));
  const times: number[] = [];
  let last: ReturnType<typeof plan> | undefined;
  for (let i = 1; i <= runs; i++) {
    const event = tagged(pkg, i);
    const started = performance.now();
    last = planOne(event);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number =>
    round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0, 3);
  return {
    package: pkg,
    warmUpRuns: WARM_UP_RUNS,
    planned: last?.planned.length ?? 0,
    waves: (last?.planned ?? []).reduce((max, item) => Math.max(max, item.wave + 1), 0),
    cycles: last?.cycles.length ?? 0,
    runs,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

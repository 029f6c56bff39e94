import { FsDistroFiles } from '../infra/distro/fs-distro-files';
import { DistroTreeCache } from '../infra/distro/distro-tree-cache';
import { FsModelSource } from '../infra/planning-pass/fs-model-source';
import { loadDistroTree } from '../shared/distro/load';
import { componentView } from '../shared/distro/component-view';
import { loadRepository } from '../infra/deps/load-repository';
import { DepsIndex } from '../shared/deps/dep-index';
import { defaultPolicy, plan } from '../shared/planner';
import type { PlannerComponent, PlannerModel, PlannerState } from '../shared/planner';
import { dependencyViewOf } from '../shared/planner/deps-view';
import { planWithStateOnDemand } from '../shared/planning-pass';
import { round } from '../testing/measure';
import { fixturePath } from '../testing/fixtures/fixture-path';
import { HUBS } from '../testing/rpm/repodata-generator';
import { withBenchRepodata } from './bench-repodata';

interface Quantiles {
  readonly runs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
}

export interface PlanningPassCosts {
  /** GET /api/components/{name}'s effective config over the fixture tree (7,426 components). */
  readonly componentStatus: {
    readonly components: number;
    /** Before: the tree loaded on every request, then the component's view. */
    readonly loadPerRequest: Quantiles;
    /** After: the shared cache's version check, then the component's view. */
    readonly cached: Quantiles;
  };
  /** The planner's model source over the fixture tree. */
  readonly modelSource: {
    /** The first pass of an instance (or after the tree changed): load and model. */
    readonly coldMs: number;
    /** Every later pass: the version check only. */
    readonly warm: Quantiles;
  };
  /**
   * The planner's CPU with state read on demand (`planWithStateOnDemand`, reads answered from memory) against
   * one run over the whole state, on the generated Fedora-shaped graph: what discovering the touched
   * components costs in place of the whole-table read.
   */
  readonly stateOnDemand: {
    readonly sources: number;
    readonly rootPlanned: number;
    readonly rootRuns: number;
    readonly rootWholeState: Quantiles;
    readonly rootOnDemand: Quantiles;
    readonly leafWholeState: Quantiles;
    readonly leafOnDemand: Quantiles;
  };
}

const NOW = new Date('2026-12-01T12:00:00Z');

export async function measurePlanningPassCosts(sources = 7_426): Promise<PlanningPassCosts> {
  return {
    componentStatus: measureComponentStatus(),
    modelSource: await measureModelSource(),
    stateOnDemand: await measureStateOnDemand(sources),
  };
}

function measureComponentStatus(): PlanningPassCosts['componentStatus'] {
  const dir = fixturePath('azurelinux');
  const files = new FsDistroFiles();
  const cache = new DistroTreeCache(dir, files);
  const names = [...cache.current().tree.components.keys()];
  const pick = (i: number) => names[(i * 7919) % names.length] as string;
  return {
    components: names.length,
    loadPerRequest: timed(20, (i) => componentView(loadDistroTree(files, dir), files, pick(i))),
    cached: timed(200, (i) => {
      const { tree } = cache.current();
      return componentView(tree, files, pick(i));
    }),
  };
}

async function measureModelSource(): Promise<PlanningPassCosts['modelSource']> {
  const source = new FsModelSource(new DistroTreeCache(fixturePath('azurelinux')));
  const started = performance.now();
  await source.current();
  const coldMs = round(performance.now() - started, 1);
  const times: number[] = [];
  for (let i = 0; i < 200; i++) {
    const at = performance.now();
    await source.current();
    times.push(performance.now() - at);
  }
  return { coldMs, warm: quantiles(times) };
}

async function measureStateOnDemand(sources: number): Promise<PlanningPassCosts['stateOnDemand']> {
  return withBenchRepodata(sources, async (repo) => {
    const index = new DepsIndex();
    await loadRepository(repo.binary, index);
    await loadRepository(repo.source, index);
    const view = dependencyViewOf(index);
    const names = Array.from({ length: sources }, (_, i) => HUBS[i] ?? `pkg${i.toString(36)}`);
    const model: PlannerModel = { components: new Map(names.map((name) => [name, component(name)])) };
    const policy = { ...defaultPolicy, debounceMs: 0, budget: Number.MAX_SAFE_INTEGER };
    const root = HUBS[0] ?? 'glibc';
    const leaf = names.find((name) => view.reverseBuildDependents(name).length === 0) ?? 'pkg0';
    // Every component has state (a last successful build), the root a lock with other provides (ABI change).
    const components: PlannerState['components'] = Object.fromEntries(
      names.map((name) => [
        name,
        name === root
          ? { lock: { messageId: 'old', provides: ['libc.so.5()(64bit)'] } }
          : { lastSuccessfulFingerprint: `old-${name}` },
      ]),
    );
    const planned = new Set<string>();
    const read = (wanted: readonly string[]) =>
      Promise.resolve(
        Object.fromEntries(wanted.filter((n) => n in components).map((n) => [n, components[n]!])),
      );
    const whole = (pkg: string) => (i: number) =>
      plan([tagged(pkg, i)], model, view, { components, plannedMessageIds: planned }, policy, NOW);
    const onDemand = (pkg: string) => (i: number) =>
      planWithStateOnDemand(
        (state) => plan([tagged(pkg, i)], model, view, state, policy, NOW),
        planned,
        read,
      );
    for (let i = 0; i < 10; i++) {
      whole(root)(i);
      await onDemand(root)(i);
    }
    const sample = await onDemand(root)(0);
    return {
      sources,
      rootPlanned: sample.plan.planned.length,
      rootRuns: sample.runs,
      rootWholeState: timed(30, whole(root)),
      rootOnDemand: await timedAsync(30, onDemand(root)),
      leafWholeState: timed(300, whole(leaf)),
      leafOnDemand: await timedAsync(300, onDemand(leaf)),
    };
  });
}

function timed(runs: number, action: (i: number) => unknown): Quantiles {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    action(i);
    times.push(performance.now() - started);
  }
  return quantiles(times);
}

async function timedAsync(runs: number, action: (i: number) => Promise<unknown>): Promise<Quantiles> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await action(i);
    times.push(performance.now() - started);
  }
  return quantiles(times);
}

function quantiles(times: number[]): Quantiles {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0, 3);
  return { runs: times.length, p50Ms: at(0.5), p95Ms: at(0.95) };
}

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

function tagged(pkg: string, n: number) {
  return {
    messageId: `bench-${pkg}-${n}`,
    topic: 'org.fedoraproject.prod.buildsys.tag',
    kind: 'tagged' as const,
    packages: [pkg],
    builds: [{ name: pkg, version: '2.0', release: `${n}.fc43`, nvr: `${pkg}-2.0-${n}.fc43` }],
    tag: 'f43-updates',
    release: 'f43',
    time: '2026-12-01T10:00:00Z',
    severity: 'info' as const,
  };
}

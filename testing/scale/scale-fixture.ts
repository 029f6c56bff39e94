import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DepsIndex } from '../../shared/deps/dep-index';
import type { PlannerModel } from '../../shared/planner';
import { DEFAULT_SCALE_SEED, loadScaleComponents, scaleModel, smallVariant } from './scale-components';
import { generateScaleIndex } from './scale-graph';
import { independentBurst, massRebuild, rootUpdate } from './scale-workloads';
import type { Workload } from './scale-workloads';

export interface ScaleFixtureOptions {
  /** The small variant: only the first `components` names of the popularity order. Default: the whole tree. */
  readonly components?: number;
  readonly seed?: number;
  /** Messages in the burst; default 2,000, or a third of the components for a variant too small for that. */
  readonly burst?: number;
}

/** Everything the scale scenario needs, in memory. */
export interface ScaleFixture {
  readonly seed: number;
  /** Component names, hubs first, then the seeded popularity order. */
  readonly names: readonly string[];
  readonly model: PlannerModel;
  readonly index: DepsIndex;
  readonly rootUpdate: Workload;
  readonly burst: Workload & { readonly leaves: number };
  readonly massRebuild: Workload;
  /** Milliseconds per step, for the report. */
  readonly timings: Readonly<Record<'tree' | 'model' | 'graph' | 'workloads', number>>;
}

/**
 * Builds the distribution-scale fixture: the real tree's components, the generated Fedora-shaped graph over
 * them (as the dependency index), and the three recorded workloads. Same options → same fixture.
 */
export async function buildScaleFixture(options: ScaleFixtureOptions = {}): Promise<ScaleFixture> {
  const seed = options.seed ?? DEFAULT_SCALE_SEED;
  let mark = performance.now();
  const lap = (): number => {
    const now = performance.now();
    const took = now - mark;
    mark = now;
    return Math.round(took);
  };
  const components = loadScaleComponents(seed);
  const names = options.components ? smallVariant(components.names, options.components) : components.names;
  const tree = lap();
  const model = scaleModel(components, names);
  const modelMs = lap();
  const index = await generateScaleIndex(names, seed);
  const graph = lap();
  const burstSize = options.burst ?? Math.min(2_000, Math.floor(names.length / 3));
  const workloads = {
    rootUpdate: rootUpdate(model),
    burst: independentBurst(model, index, burstSize, { seed }),
    massRebuild: massRebuild(model),
  };
  return {
    seed,
    names,
    model,
    index,
    ...workloads,
    timings: { tree, model: modelMs, graph, workloads: lap() },
  };
}

/** What `writeScaleFixture` wrote: file → bytes, and how many messages each workload holds. */
export interface WrittenScaleFixture {
  readonly dir: string;
  readonly files: Readonly<Record<string, number>>;
  readonly messages: Readonly<Record<Workload['name'], number>>;
}

/**
 * Writes the fixture to `dir`: `dependency-index.json.gz` (the blob the planning pass loads from
 * `deps/dependency-index.json.gz`), `components.json` (the names, in popularity order), and one file per
 * workload under `workloads/` (a JSON array of wire messages: what `azl-rebuilder replay` reads), with
 * `manifest.json` (seed, counts, sizes, timings).
 */
export function writeScaleFixture(fixture: ScaleFixture, dir: string): WrittenScaleFixture {
  mkdirSync(join(dir, 'workloads'), { recursive: true });
  const files: Record<string, number> = {};
  const write = (name: string, bytes: Buffer | string): void => {
    writeFileSync(join(dir, name), bytes);
    files[name] = Buffer.byteLength(bytes);
  };
  write('dependency-index.json.gz', fixture.index.serialize());
  write('components.json', `${JSON.stringify(fixture.names, null, 1)}\n`);
  const workloads = [fixture.rootUpdate, fixture.burst, fixture.massRebuild];
  for (const workload of workloads)
    write(`workloads/${workload.name}.json`, `${JSON.stringify(workload.messages, null, 1)}\n`);
  const messages = Object.fromEntries(workloads.map((w) => [w.name, w.messages.length])) as Record<
    Workload['name'],
    number
  >;
  write(
    'manifest.json',
    `${JSON.stringify(
      {
        seed: fixture.seed,
        components: fixture.names.length,
        messages,
        burstLeaves: fixture.burst.leaves,
        files: { ...files },
        timingsMs: fixture.timings,
      },
      null,
      2,
    )}\n`,
  );
  return { dir, files, messages };
}

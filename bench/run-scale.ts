import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { fixturePath } from '../testing/fixtures/fixture-path';
import { buildScaleFixture } from '../testing/scale/scale-fixture';
import type { Workload } from '../testing/scale/scale-workloads';
import { runBenchmark } from './main';
import { startScalePipeline } from './scale/scale-pipeline';
import type { WorkloadFigures } from './scale/workload-run';
import { runWorkload } from './scale/workload-run';

/**
 * `npm run bench:scale [-- --components <n>] [--workloads root-update,mass-rebuild,burst] [--limit-minutes <m>]
 * [--out <file>]`: the distribution-scale scenario (issue 20). A local pipeline (`azl-rebuilder start --no-demo
 * --config tests/fixtures/azurelinux`, Azurite, the broker, the synthetic builder) takes each workload's
 * recorded messages from the first to the last repository revision; the figures go to
 * bench/results/scale.json (or `--out`). The root update runs on a fresh pipeline, where no component is
 * locked yet, so it rebuilds the whole closure; the mass rebuild too, and the burst then runs on the pipeline
 * the mass rebuild left: every component locked at its upstream build, so the 2,000 updates, which change no
 * provides, are the independent updates they are meant to be (on a fresh pipeline each would rebuild its
 * dependents).
 */
const SETTINGS = {
  AZL_SYNTHETIC_BUILD_MS: '10',
  AZL_PLANNER_DEBOUNCE_SECONDS: '5',
  // A mass rebuild's messages take minutes to arrive; its passes wait for the whole burst (the default 300 s
  // would split it).
  AZL_PLANNER_QUIET_SECONDS: '5',
  AZL_PLANNER_MAX_WAIT_SECONDS: '900',
  AZL_PLANNER_BUDGET: '10000',
};

async function run(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const fixture = await buildScaleFixture({ components: args.components });
  const workloads: Record<Workload['name'], Workload> = {
    'root-update': fixture.rootUpdate,
    burst: fixture.burst,
    'mass-rebuild': fixture.massRebuild,
  };
  const work = mkdtempSync(join(tmpdir(), 'azl-bench-scale-work-'));
  const results: WorkloadFigures[] = [];
  const log = (line: string): void => void process.stderr.write(`${new Date().toISOString()} ${line}\n`);
  try {
    for (const group of pipelineGroups(args.workloads)) {
      const pipeline = await startScalePipeline(
        fixturePath('azurelinux'),
        fixture.index.serialize(),
        SETTINGS,
      );
      try {
        for (const name of group) {
          const figures = await runWorkload(pipeline, workloads[name], work, args.limitMinutes * 60_000, log);
          results.push(figures);
          process.stdout.write(`${JSON.stringify({ ...figures, progress: undefined })}\n`);
        }
      } finally {
        await pipeline.stop();
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
  const text = `${JSON.stringify(
    {
      measuredAt: new Date().toISOString(),
      machine,
      components: fixture.names.length,
      settings: SETTINGS,
      results,
    },
    null,
    2,
  )}\n`;
  const out = args.out ?? join(projectRoot(), 'bench', 'results', 'scale.json');
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, text);
  process.stdout.write(`written to ${out}\n`);
}

/** Which workloads share a pipeline: the burst follows the mass rebuild on its pipeline when both run. */
function pipelineGroups(names: readonly Workload['name'][]): Workload['name'][][] {
  const groups: Workload['name'][][] = names
    .filter((n) => n !== 'burst' && n !== 'mass-rebuild')
    .map((n): Workload['name'][] => [n]);
  const settled: Workload['name'][] = (['mass-rebuild', 'burst'] as const).filter((n) => names.includes(n));
  if (settled.length > 0) groups.push(settled);
  return groups;
}

interface ScaleArgs {
  readonly components?: number;
  readonly workloads: readonly Workload['name'][];
  readonly limitMinutes: number;
  readonly out?: string;
}

function parseArgs(argv: readonly string[]): ScaleArgs {
  let components: number | undefined;
  let workloads: Workload['name'][] = ['root-update', 'mass-rebuild', 'burst'];
  let limitMinutes = 20;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1] ?? '';
    switch (argv[i]) {
      case '--components':
        components = Number(value);
        i++;
        break;
      case '--workloads':
        workloads = value.split(',') as Workload['name'][];
        i++;
        break;
      case '--limit-minutes':
        limitMinutes = Number(value);
        i++;
        break;
      case '--out':
        out = value;
        i++;
        break;
      default:
        throw new Error(`unknown argument ${argv[i]}`);
    }
  }
  return { components, workloads, limitMinutes, out };
}

runBenchmark(run);

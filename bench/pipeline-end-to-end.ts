import { loadavg } from 'node:os';
import { TableStore } from '../infra/storage';
import { round } from '../testing/measure';
import { measurePipelineBurst } from '../testing/pipeline/burst';
import type { PipelineBurst } from '../testing/pipeline/burst';
import { measurePipelineLatency } from './pipeline-latency';
import type { PipelineLatency } from './pipeline-latency';
import type { BenchPipeline } from '../testing/pipeline/bench-pipeline';
import { startBenchPipeline } from '../testing/pipeline/bench-pipeline';
import { PipelineClient } from '../testing/pipeline/pipeline-client';

interface Run<T> {
  /** The app settings the pipeline was started with, beyond the distro tree. */
  readonly settings: Readonly<Record<string, string>>;
  /** Spawn of `azl-rebuilder start` to its endpoints.json. */
  readonly startupMs: number;
  readonly result: T;
}

export interface PipelineEndToEnd {
  readonly latency: Run<PipelineLatency>;
  readonly burst: Run<PipelineBurst>;
  readonly burstWithDebounce: Run<PipelineBurst>;
  /** 1-minute load average at the start and the end: the machine is shared, figures move with it. */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly note: string;
}

/**
 * The whole local pipeline as a user runs it, `azl-rebuilder start --no-demo` as a child process (Azurite,
 * the broker, the functions host, rpmbuild) over the fixture Fedora, twice: with a debounce of 0 the
 * sequential latency events and then a 1,000-event burst; on a fresh pipeline with a debounce of
 * `debounceSeconds` the same burst, to show what the debounce buys (coalescing) and costs (waiting for it
 * and for the 30 s planSettled timer).
 */
export async function measurePipelineEndToEnd(
  options: { latencyEvents?: number; burstEvents?: number; debounceSeconds?: number } = {},
): Promise<PipelineEndToEnd> {
  const start = loadavg()[0] ?? 0;
  const latencyEvents = options.latencyEvents ?? 15;
  const total = options.burstEvents ?? 1000;
  const immediate = await withPipeline(
    { AZL_PLANNER_DEBOUNCE_SECONDS: '0', AZL_PLANNER_QUIET_SECONDS: '0' },
    async (pipeline, client, tables) => {
      const latency = await measurePipelineLatency(pipeline, client, latencyEvents, 10);
      const burst = await measurePipelineBurst(pipeline, client, tables, {
        total,
        firstRelease: 10 + latencyEvents,
      });
      return { latency, burst };
    },
  );
  const debounce = String(options.debounceSeconds ?? 15);
  const debounced = await withPipeline(
    { AZL_PLANNER_DEBOUNCE_SECONDS: debounce, AZL_PLANNER_QUIET_SECONDS: '0' },
    (pipeline, client, tables) => measurePipelineBurst(pipeline, client, tables, { total, firstRelease: 10 }),
  );
  const { result, ...run } = immediate;
  return {
    latency: { ...run, result: result.latency },
    burst: { ...run, result: result.burst },
    burstWithDebounce: debounced,
    loadAverage: { start: round(start, 2), end: round(loadavg()[0] ?? 0, 2) },
    note:
      'azl-rebuilder start --no-demo as a child process on this machine (2 cores, shared with the bench process and whatever else runs), ' +
      'fixture Fedora (dist-git, lookaside) on loopback; no dependency index, so only the tagged components themselves are planned. ' +
      'latency and burst ran on one pipeline (burst after latency); burstWithDebounce on a fresh one.',
  };
}

async function withPipeline<T>(
  settings: Record<string, string>,
  work: (pipeline: BenchPipeline, client: PipelineClient, tables: TableStore) => Promise<T>,
): Promise<Run<T>> {
  const started = Date.now();
  const pipeline = await startBenchPipeline(settings);
  const startupMs = Date.now() - started;
  try {
    const client = new PipelineClient(pipeline.endpoints);
    const tables = new TableStore({ connectionString: pipeline.endpoints.storageConnectionString });
    const result = await work(pipeline, client, tables);
    const reported = {
      ...settings,
      AZL_FEDORA_CATCH_UP: 'off',
      AZL_LOG_LEVEL: process.env.AZL_LOG_LEVEL ?? 'info',
    };
    return { settings: reported, startupMs, result };
  } finally {
    await pipeline.stop();
  }
}

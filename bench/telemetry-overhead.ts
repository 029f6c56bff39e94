import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { round } from '../testing/measure';
import { startBenchPipeline } from '../testing/pipeline/bench-pipeline';
import { PipelineClient } from '../testing/pipeline/pipeline-client';
import { exportEverythingEnvironment, startFakeIngestion } from '../testing/telemetry/fake-ingestion';
import { measurePipelineLatency } from './pipeline-latency';
import { spread } from './pipeline/stats';
import type { Spread } from './pipeline/stats';

type Mode = 'off' | 'on';

export interface TelemetryOverhead {
  /** The blocks in the order they ran: each a fresh pipeline measuring `eventsPerBlock` sequential events. */
  readonly order: readonly Mode[];
  readonly eventsPerBlock: number;
  /** End-to-end latency (totalMs of bench/pipeline-latency.ts) pooled over the blocks of each mode. */
  readonly off: Spread;
  readonly on: Spread;
  /** on / off of the medians and of the 95th percentiles; 1.05 would be 5 % slower with export on. */
  readonly ratio: { readonly p50: number; readonly p95: number };
  /** Envelopes the fake ingestion endpoint received while export was on: the export really ran. */
  readonly envelopesReceived: number;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly note: string;
}

/**
 * The cost of Application Insights export on the pipeline's end-to-end latency: the latency benchmark
 * (bench/pipeline-latency.ts: a Koji tag of a release just committed, to its new repository revision) on the
 * local pipeline as a child process, with export off and with export on to a fake HTTPS ingestion endpoint
 * that accepts everything (testing/telemetry/fake-ingestion.ts; every span kept, metrics and logs exported
 * promptly). Blocks alternate off/on/on/off so a drift of the shared machine's load falls on both modes.
 */
export async function measureTelemetryOverhead(
  options: { eventsPerBlock?: number; order?: readonly Mode[] } = {},
): Promise<TelemetryOverhead> {
  const eventsPerBlock = options.eventsPerBlock ?? 10;
  const order = options.order ?? (['off', 'on', 'on', 'off'] as const);
  const start = loadavg()[0] ?? 0;
  const pkiDir = mkdtempSync(join(tmpdir(), 'azl-bench-ingestion-'));
  const ingestion = await startFakeIngestion(pkiDir);
  const totals: Record<Mode, number[]> = { off: [], on: [] };
  try {
    for (const mode of order) {
      const settings = {
        AZL_PLANNER_DEBOUNCE_SECONDS: '0',
        AZL_PLANNER_QUIET_SECONDS: '0',
        ...(mode === 'on' ? exportEverythingEnvironment(ingestion) : {}),
      };
      const pipeline = await startBenchPipeline(settings);
      try {
        const latency = await measurePipelineLatency(
          pipeline,
          new PipelineClient(pipeline.endpoints),
          eventsPerBlock,
        );
        totals[mode].push(...latency.totalsMs);
      } finally {
        await pipeline.stop();
      }
    }
  } finally {
    await ingestion.close();
    rmSync(pkiDir, { recursive: true, force: true });
  }
  const off = spread(totals.off);
  const on = spread(totals.on);
  return {
    order,
    eventsPerBlock,
    off,
    on,
    ratio: { p50: round(on.p50 / off.p50, 3), p95: round(on.p95 / off.p95, 3) },
    envelopesReceived: ingestion.envelopes.length,
    loadAverage: { start: round(start, 2), end: round(loadavg()[0] ?? 0, 2) },
    note:
      'totalMs of the latency benchmark (202 of POST /api/fedora/messages to the new base/x86_64 repomd.xml revision), ' +
      'each block a fresh azl-rebuilder start --no-demo with AZL_PLANNER_DEBOUNCE_SECONDS=0; export on: ' +
      'APPLICATIONINSIGHTS_CONNECTION_STRING to a local HTTPS fake that accepts everything, sampling 1, offline storage off. ' +
      'Same 2-core shared machine for both modes; blocks interleaved.',
  };
}

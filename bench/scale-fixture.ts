import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalize } from '../shared/fedora/normalize';
import type { UpstreamEvent } from '../shared/fedora/upstream-event';
import { defaultPolicy, plan } from '../shared/planner';
import type { PlannerPolicy, PlannerState } from '../shared/planner';
import { dependencyViewOf } from '../shared/planner/deps-view';
import { round } from '../testing/measure';
import { buildScaleFixture, writeScaleFixture } from '../testing/scale/scale-fixture';
import { settledState } from '../testing/scale/settled-state';
import type { Workload } from '../testing/scale/scale-workloads';

export interface ScaleFixtureFigures {
  readonly components: number;
  /** Building the fixture in memory, per step, and writing it. */
  readonly generateMs: Readonly<Record<string, number>>;
  readonly writeMs: number;
  readonly files: Readonly<Record<string, number>>;
  readonly burstLeaves: number;
  /**
   * Each workload planned whole in one call, in memory: the root update on a fresh state (no lock, so the ABI
   * gate lets every dependent through), the burst and the mass rebuild on a settled one (every component
   * locked at its current provides), and the burst and the mass rebuild on a fresh state too: a release
   * engineer's first mass rebuild runs on a fresh pipeline. (Before the planner bounded an item's reasons,
   * the fresh mass rebuild gave every dependent a reason per message of each of the 7,424 directs reaching
   * it, about 40 million, and ran out of a 4 GiB heap; it was not run.)
   */
  readonly plans: Readonly<Record<string, PlanFigures>>;
}

interface PlanFigures {
  readonly messages: number;
  readonly planned: number;
  /** Reasons over all planned items: what a plan's memory and stored size grow with. */
  readonly reasons: number;
  readonly waves: number;
  readonly cycles: number;
  readonly skipped: Readonly<Record<string, number>>;
  readonly planMs: number;
  /** Heap used when the plan returns (the plan and the walk's garbage), in MiB. */
  readonly heapAfterMb: number;
  /** Heap the plan keeps (after a full collection), in MiB; only under `node --expose-gc`. */
  readonly retainedHeapMb?: number;
  /** The process's peak RSS so far, in MiB (it only grows: the plans run in the order listed). */
  readonly maxRssMb: number;
}

const MB = 1024 * 1024;

/** `global.gc` when node runs with `--expose-gc`. */
const collect = (globalThis as { gc?: () => void }).gc;

// No debounce or budget: the whole workload in one plan. Rawhide is f44 for the tree's rawhide component.
const POLICY: PlannerPolicy = {
  ...defaultPolicy,
  debounceMs: 0,
  budget: Number.MAX_SAFE_INTEGER,
  rawhide: 44,
};
const NOW = new Date('2026-12-01T12:00:00Z');

/**
 * The distribution-scale fixture (issue 20 item 2) at full size: how long it takes to generate and write,
 * how large its files are, and what each workload plans to (planned items, waves) when the planner takes it
 * whole on a pipeline with no locks. Run by `bench/scale-fixture-run.ts`.
 */
export async function measureScaleFixture(): Promise<ScaleFixtureFigures> {
  const fixture = await buildScaleFixture();
  const dir = mkdtempSync(join(tmpdir(), 'scale-fixture-'));
  try {
    const started = performance.now();
    const written = writeScaleFixture(fixture, dir);
    const writeMs = round(performance.now() - started, 0);
    const view = dependencyViewOf(fixture.index);
    const fresh: PlannerState = { components: {}, plannedMessageIds: new Set() };
    const settled = settledState(fixture.names, view);
    const planOf = (workload: Workload, state: PlannerState): PlanFigures => {
      const events = workload.messages.map(eventOf);
      collect?.();
      const heapBefore = process.memoryUsage().heapUsed;
      const at = performance.now();
      const result = plan(events, fixture.model, view, state, POLICY, NOW);
      const planMs = round(performance.now() - at, 1);
      const heapAfter = process.memoryUsage().heapUsed;
      collect?.();
      const retained = process.memoryUsage().heapUsed - heapBefore;
      const skipped: Record<string, number> = {};
      for (const item of result.skipped) skipped[item.reason] = (skipped[item.reason] ?? 0) + 1;
      return {
        messages: workload.messages.length,
        planned: result.planned.length,
        reasons: result.planned.reduce((sum, item) => sum + item.reasons.length, 0),
        waves: result.planned.reduce((max, item) => Math.max(max, item.wave + 1), 0),
        cycles: result.cycles.length,
        skipped,
        planMs,
        heapAfterMb: round(heapAfter / MB, 1),
        ...(collect ? { retainedHeapMb: round(retained / MB, 1) } : {}),
        maxRssMb: round(process.resourceUsage().maxRSS / 1024, 1),
      };
    };
    return {
      components: fixture.names.length,
      generateMs: fixture.timings,
      writeMs,
      files: written.files,
      burstLeaves: fixture.burst.leaves,
      plans: {
        'root-update (fresh)': planOf(fixture.rootUpdate, fresh),
        'burst (settled)': planOf(fixture.burst, settled),
        'mass-rebuild (settled)': planOf(fixture.massRebuild, settled),
        'burst (fresh)': planOf(fixture.burst, fresh),
        'mass-rebuild (fresh)': planOf(fixture.massRebuild, fresh),
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function eventOf(message: unknown): UpstreamEvent {
  const outcome = normalize(message);
  if (outcome.outcome !== 'accepted')
    throw new Error(`a recorded message was not accepted: ${JSON.stringify(outcome)}`);
  return outcome.event;
}

import { expect, it } from 'vitest';
import type { BuildRequest, Builder, BuildInput, BuildOutcome } from '../../../shared/build';
import { BuildWorker } from '../../../shared/build-worker';
import type { BuildRecord, BuildScheduler } from '../../../shared/build-worker';
import type { Hop, PlannedItem, Reason } from '../../../shared/planner';
import { memoryWorkerPorts } from '../../../testing/fakes/build-worker-ports';
import { MemoryPlanProgress } from '../../../testing/fakes/memory-plan-progress';
import { mulberry32 } from '../../../testing/seeded-random';

/**
 * Issue 20 item 6: a 7,000-item plan in 20 waves, its `builds` messages delivered in a shuffled order, every
 * build through the real worker and wave gate over in-memory ports and a fake clock. Failures are injected in
 * waves 0–2; every item must end final (built, failed, or cancelled `dependency-failed: …`), the waves must
 * finish in order, and nothing may be built twice.
 */
const WAVES = 20;
const WIDTH = 350;
const PLAN = 'plan-scale';
const T0 = Date.parse('2026-12-01T12:00:00.000Z');

const nameOf = (wave: number, column: number) =>
  `c${String(wave).padStart(2, '0')}x${String(column).padStart(3, '0')}`;
const fingerprintOf = (wave: number, column: number) =>
  `sha256:${(wave * 1000 + column).toString(16).padStart(64, '0')}`;

/** A column's chain from wave 0 up to `wave - 1`, and for every fifth item a second path across columns. */
function pathsOf(wave: number, column: number): Hop[][] {
  const chain = (col: number, upTo: number): Hop[] =>
    Array.from({ length: upTo }, (_, w) => ({
      from: nameOf(w, col),
      buildRequire: `${nameOf(w, col)}-devel`,
    }));
  const paths = [chain(column, wave)];
  if (wave >= 2 && column % 5 === 0) {
    const other = (column + 7) % WIDTH;
    paths.push([
      chain(other, 1)[0]!,
      { from: nameOf(wave - 1, other), buildRequire: `${nameOf(wave - 1, other)}-devel` },
    ]);
  }
  return paths;
}

function generatedPlan(): PlannedItem[] {
  const items: PlannedItem[] = [];
  for (let wave = 0; wave < WAVES; wave++)
    for (let column = 0; column < WIDTH; column++) {
      const root = nameOf(0, column);
      const reasons: Reason[] = pathsOf(wave, column).map((path) => ({
        messageId: `m-${path[0]?.from ?? root}`,
        kind: 'built',
        package: path[0]?.from ?? root,
        component: path[0]?.from ?? root,
        ...(wave > 0 ? { path } : {}),
      }));
      items.push({
        component: nameOf(wave, column),
        fingerprint: fingerprintOf(wave, column),
        wave,
        priority: 200,
        reasons,
      });
    }
  return items;
}

/** Succeeds in one clock millisecond, or fails (permanently) for the injected components. */
class InjectedFailures implements Builder {
  readonly name = 'injected';
  readonly built: string[] = [];
  constructor(
    private readonly failing: ReadonlySet<string>,
    private readonly tick: () => void,
  ) {}
  build(input: BuildInput): Promise<BuildOutcome> {
    this.built.push(input.component);
    this.tick();
    if (this.failing.has(input.component))
      return Promise.resolve({
        state: 'failed',
        code: 'build.compile-error',
        retryable: false,
        message: 'injected',
        logExcerpt: '',
      });
    const files = [
      { path: `/w/${input.component}-1-1.azl4.src.rpm`, kind: 'srpm' as const },
      { path: `/w/${input.component}-1-1.azl4.x86_64.rpm`, kind: 'rpm' as const },
    ];
    return Promise.resolve({ state: 'succeeded', files, logPath: '/w/build.log' });
  }
}

/** The `builds` queue's scheduled messages, delivered in time order (then in the order sent). */
class SimulatedQueue implements BuildScheduler {
  private sequence = 0;
  readonly waiting: { at: number; sequence: number; request: BuildRequest }[] = [];
  waits = 0;
  schedule(request: BuildRequest, at: Date, why: 'retry' | 'wait'): Promise<void> {
    if (why === 'wait') this.waits++;
    this.waiting.push({ at: at.getTime(), sequence: this.sequence++, request });
    return Promise.resolve();
  }
  /** The messages due next, all at once (a round), in delivery order. */
  nextRound(): { at: number; request: BuildRequest }[] {
    return this.waiting.splice(0).sort((a, b) => a.at - b.at || a.sequence - b.sequence);
  }
}

it(
  'a 7,000-item plan in 20 waves finishes every wave in order, skipping only the dependents of failures',
  { timeout: 60_000 },
  async () => {
    const items = generatedPlan();
    expect(items).toHaveLength(WAVES * WIDTH);
    const failing = new Set([
      nameOf(0, 3),
      nameOf(0, 40),
      nameOf(1, 10),
      nameOf(2, 100),
      nameOf(2, 101),
      nameOf(1, 7),
    ]);
    let now = T0;
    const { ports } = memoryWorkerPorts();
    const progress = new MemoryPlanProgress(ports.records);
    progress.addPlan(PLAN, items);
    const builder = new InjectedFailures(failing, () => (now += 1));
    const queue = new SimulatedQueue();
    const worker = new BuildWorker(
      { ...ports, progress, builder, scheduler: queue },
      { clock: () => new Date(now), waveWaitMs: 30_000 },
    );
    const random = mulberry32(20);
    const shuffled = items.map((item) => ({ item, key: random() })).sort((a, b) => a.key - b.key);
    for (const { item } of shuffled) {
      const request: BuildRequest = {
        planId: PLAN,
        component: item.component,
        fingerprint: item.fingerprint,
        wave: item.wave,
        priority: item.priority,
        reasons: item.reasons,
        requestedAt: new Date(T0).toISOString(),
        attempt: 1,
      };
      await queue.schedule(request, new Date(T0), 'retry');
    }

    let rounds = 0;
    for (let round = queue.nextRound(); round.length > 0; round = queue.nextRound()) {
      rounds++;
      for (const { at, request } of round) {
        now = Math.max(now, at);
        await worker.handle(request);
        now += 1;
      }
    }

    // Every item is final: built, failed, or skipped with the root failure named.
    const records = items.map((item) => ports.records.rows.get(`${item.component} ${item.fingerprint}`));
    const final = records.filter((r): r is BuildRecord => r !== undefined);
    expect(final).toHaveLength(items.length);
    expect(new Set(final.map((r) => r.state))).toEqual(new Set(['succeeded', 'failed', 'cancelled']));

    // The oracle: an item is skipped when a component on one of its paths failed or was skipped.
    const expectedState = new Map<string, string>();
    for (const item of items) {
      const hops = (pathsOf(item.wave, Number(item.component.slice(4))).flat() ?? []).filter(
        (h) => h.from !== item.component,
      );
      const blocked = item.wave > 0 && hops.some((h) => expectedState.get(h.from) !== 'succeeded');
      expectedState.set(
        item.component,
        failing.has(item.component) ? 'failed' : blocked ? 'cancelled' : 'succeeded',
      );
    }
    for (const record of final)
      expect(record.state, record.component).toBe(expectedState.get(record.component));
    const skipped = final.filter((r) => r.state === 'cancelled');
    expect(skipped.length).toBeGreaterThan(100);
    for (const record of skipped) {
      expect(record.error?.code).toBe('build.dependency-failed');
      const [, root, buildId] = /^dependency-failed: (\S+) (\S+)$/.exec(record.error?.message ?? '') ?? [];
      expect(failing.has(root!), `${record.component} names ${root}`).toBe(true);
      expect(buildId).toBe(
        ports.records.rows.get(`${root} ${fingerprintOf(Number(root!.slice(1, 3)), Number(root!.slice(4)))}`)
          ?.buildId,
      );
    }

    // Nothing built twice; the skipped ones never reached the builder.
    expect(new Set(builder.built).size).toBe(builder.built.length);
    expect(builder.built).toHaveLength(items.length - skipped.length);

    // Waves finish in order: a build starts after every item of every earlier wave is final.
    const finishedBy = new Array<number>(WAVES).fill(0);
    const firstStart = new Array<number>(WAVES).fill(Infinity);
    for (const record of final) {
      finishedBy[record.wave] = Math.max(finishedBy[record.wave]!, Date.parse(record.finishedAt!));
      if (record.startedAt)
        firstStart[record.wave] = Math.min(firstStart[record.wave]!, Date.parse(record.startedAt));
    }
    for (let wave = 1; wave < WAVES; wave++) {
      expect(firstStart[wave]!).toBeGreaterThan(Math.max(...finishedBy.slice(0, wave)));
      expect(finishedBy[wave]!).toBeGreaterThan(finishedBy[wave - 1]!);
    }
    // No build got past the gate by its time limit (6 h): the run took about a wave per re-check.
    expect(now - T0).toBeLessThan(WAVES * 2 * 30_000);
    expect(rounds).toBeLessThanOrEqual(WAVES + 2);
    console.log(
      `waves at scale: ${items.length} items, ${rounds} rounds, ${queue.waits} waits, ${skipped.length} skipped`,
    );
  },
);

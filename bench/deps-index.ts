import { loadRepository } from '../infra/deps/load-repository';
import { DepsIndex } from '../shared/deps/dep-index';
import { withBenchRepodata } from './bench-repodata';
import { HUBS } from '../testing/rpm/repodata-generator';
import { round } from '../testing/measure';

export interface DepsIndexFigures {
  sources: number;
  binaries: number;
  generateMs: number;
  buildMs: number;
  peakRssMb: number;
  peakHeapUsedMb: number;
  /** Heap held by the built index (needs `node --expose-gc`, else null). */
  retainedHeapMb: number | null;
  serializedBytes: number;
  serializeMs: number;
  deserializeMs: number;
  leaf: QueryFigures;
  root: QueryFigures;
}

interface QueryFigures {
  name: string;
  dependents: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Builds the dependency index from Fedora-scale generated repodata (25,000 sources, ~75,000 binaries) and
 * measures build time, peak memory (rss/heapUsed sampled every 5 ms and after the build), serialized size,
 * and `reverseBuildDependents` latency for a leaf and for the glibc-like root. The repodata is cached under
 * `.data/bench-repodata` when a `.data` folder exists, else generated into a temp dir and removed.
 */
export async function measureDepsIndex(sources = 25_000): Promise<DepsIndexFigures> {
  return withBenchRepodata(sources, async (repo, generateMs) => {
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const peak = { rss: 0, heap: 0 };
    const sample = (): void => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heap = Math.max(peak.heap, m.heapUsed);
    };
    const timer = setInterval(sample, 5);
    let started = performance.now();
    const index = new DepsIndex();
    const binaries = await loadRepository(repo.binary, index);
    await loadRepository(repo.source, index);
    index.reverseBuildDependents('glibc'); // builds the lazy lookup tables: part of the build cost
    const buildMs = performance.now() - started;
    sample();
    clearInterval(timer);
    global.gc?.();
    const retainedHeapMb = global.gc
      ? round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20, 1)
      : null;
    started = performance.now();
    const buf = index.serialize();
    const serializeMs = performance.now() - started;
    started = performance.now();
    DepsIndex.deserialize(buf);
    const deserializeMs = performance.now() - started;
    const leafName = `pkg${(sources - 1).toString(36)}`;
    return {
      sources,
      binaries,
      generateMs: round(generateMs, 1),
      buildMs: round(buildMs, 1),
      peakRssMb: round(peak.rss / 2 ** 20, 1),
      peakHeapUsedMb: round(peak.heap / 2 ** 20, 1),
      retainedHeapMb,
      serializedBytes: buf.length,
      serializeMs: round(serializeMs, 1),
      deserializeMs: round(deserializeMs, 1),
      leaf: latency(index, leafName, 500),
      root: latency(index, HUBS[0] ?? 'glibc', 50),
    };
  });
}

function latency(index: DepsIndex, name: string, runs: number): QueryFigures {
  const times: number[] = [];
  let dependents = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    dependents = index.reverseBuildDependents(name).length;
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number =>
    round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0, 3);
  return { name, dependents, p50Ms: at(0.5), p99Ms: at(0.99) };
}

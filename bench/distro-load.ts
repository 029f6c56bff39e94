import { FsDistroFiles } from '../infra/distro/fs-distro-files';
import { resolveComponent } from '../shared/distro/effective';
import { fingerprintComponent } from '../shared/distro/fingerprint';
import { loadDistroTree } from '../shared/distro/load';
import { round } from '../testing/measure';
import { fixturePath } from '../testing/fixtures/fixture-path';

export interface DistroLoad {
  readonly files: number;
  readonly components: number;
  /** Median of `runs` cold loads (read, parse, validate, merge) of the whole fixture tree. */
  readonly loadMs: number;
  /** Median time to resolve every component's effective config and fingerprint after a load. */
  readonly resolveAndFingerprintMs: number;
  /** Median of the two together: the figure the < 1 s goal applies to. */
  readonly totalMs: number;
  readonly runs: number;
}

/**
 * Loads the Azure Linux fixture tree (tests/fixtures/azurelinux, ~7,400 components) from disk and resolves
 * every component's effective config and fingerprint, `runs` times after one warm-up; reports medians.
 */
export function measureDistroLoad(runs = 5): DistroLoad {
  const dir = fixturePath('azurelinux');
  const files = new FsDistroFiles();
  const loads: number[] = [];
  const resolves: number[] = [];
  const totals: number[] = [];
  let counts = { files: 0, components: 0 };
  for (let run = 0; run <= runs; run++) {
    const started = performance.now();
    const tree = loadDistroTree(files, dir);
    const loaded = performance.now();
    const contents = new Map<string, string | null>();
    for (const name of tree.components.keys()) {
      fingerprintComponent(tree, files, resolveComponent(tree, name), {}, contents);
    }
    const done = performance.now();
    if (run === 0) continue; // warm-up
    loads.push(loaded - started);
    resolves.push(done - loaded);
    totals.push(done - started);
    counts = { files: tree.files.length, components: tree.components.size };
  }
  return {
    ...counts,
    loadMs: round(median(loads), 1),
    resolveAndFingerprintMs: round(median(resolves), 1),
    totalMs: round(median(totals), 1),
    runs,
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../infra/os/project-paths';
import { generateRepodata } from '../testing/rpm/repodata-generator';
import type { GeneratedRepodata } from '../testing/rpm/repodata-generator';

/**
 * Runs `measure` over the generated Fedora-scale repodata (seed 42): cached under `.data/bench-repodata-N`
 * when a `.data` folder exists, else generated into a temp folder that is removed afterwards. Resolves with
 * what `measure` resolves with, and how long generating took.
 */
export async function withBenchRepodata<T>(
  sources: number,
  measure: (repo: GeneratedRepodata, generateMs: number) => Promise<T>,
): Promise<T> {
  const dataDir = join(projectRoot(), '.data');
  const cached = existsSync(dataDir);
  const dir = cached
    ? join(dataDir, `bench-repodata-${sources}`)
    : mkdtempSync(join(tmpdir(), 'bench-repodata-'));
  try {
    const started = performance.now();
    const repo = await generateRepodata(dir, { sources, seed: 42 });
    return await measure(repo, performance.now() - started);
  } finally {
    if (!cached) rmSync(dir, { recursive: true, force: true });
  }
}

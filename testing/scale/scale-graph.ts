import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRepository } from '../../infra/deps/load-repository';
import { DepsIndex } from '../../shared/deps/dep-index';
import { generateRepodata } from '../rpm/repodata-generator';

/**
 * The Fedora-shaped dependency graph over the scale fixture's components: the existing repodata generator
 * (`testing/rpm/repodata-generator.ts`, seeded: hubs most packages BuildRequire, a skewed long tail, sonames,
 * pkgconfig and file provides, the glibc ↔ gcc cycle) run with the real component names, loaded into the
 * dependency index the planner reads (what the planning pass loads from `deps/dependency-index.json.gz`).
 * Source names are component names, as the planner's view expects.
 */
export async function generateScaleIndex(names: readonly string[], seed: number): Promise<DepsIndex> {
  const dir = mkdtempSync(join(tmpdir(), 'scale-graph-'));
  try {
    const repo = await generateRepodata(dir, { names, seed });
    const index = new DepsIndex();
    await loadRepository(repo.binary, index);
    await loadRepository(repo.source, index);
    return index;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

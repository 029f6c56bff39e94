import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { globSync } from 'tinyglobby';
import { loadDistroTree } from '../../shared/distro';
import type { PlannerModel } from '../../shared/planner';
import { modelFromDistroTree } from '../../shared/planner';
import type { ModelSource } from '../../shared/planning-pass';
import { FsDistroFiles } from '../distro/fs-distro-files';

/**
 * The distribution model from a distro tree on disk (the app's deployed configuration, or a checkout).
 * Its version is a digest of every file's path, size and modification time, so an unchanged tree is not
 * loaded again (a load of the full Azure Linux tree takes a few hundred milliseconds) and a changed one is.
 */
export class FsModelSource implements ModelSource {
  private cached: { version: string; model: PlannerModel } | undefined;

  constructor(private readonly dir: string) {}

  current(): Promise<{ model: PlannerModel; version: string }> {
    const version = treeVersion(this.dir);
    if (this.cached?.version !== version) {
      const files = new FsDistroFiles();
      this.cached = { version, model: modelFromDistroTree(loadDistroTree(files, this.dir), files) };
    }
    return Promise.resolve(this.cached);
  }
}

function treeVersion(dir: string): string {
  const hash = createHash('sha256');
  const paths = globSync('**/*', { cwd: dir, onlyFiles: true, dot: false, followSymbolicLinks: false });
  for (const path of paths.sort()) {
    const stat = statSync(`${dir}/${path}`);
    hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return `tree:${hash.digest('hex').slice(0, 16)}`;
}

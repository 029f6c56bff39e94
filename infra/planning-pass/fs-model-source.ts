import type { PlannerModel } from '../../shared/planner';
import { modelFromDistroTree } from '../../shared/planner';
import type { ModelSource } from '../../shared/planning-pass';
import { sharedDistroTree } from '../distro/distro-tree-cache';
import type { DistroTreeCache } from '../distro/distro-tree-cache';

/**
 * The distribution model from a distro tree on disk (the app's deployed configuration, or a checkout), through
 * the process's tree cache: the tree is loaded once per change of its folder and shared with the status API,
 * and the model (every component's fingerprint) is made once per version. Its version is the folder's.
 */
export class FsModelSource implements ModelSource {
  private readonly tree: DistroTreeCache;

  constructor(dir: string | DistroTreeCache) {
    this.tree = typeof dir === 'string' ? sharedDistroTree(dir) : dir;
  }

  current(): Promise<{ model: PlannerModel; version: string }> {
    const { value: model, version } = this.tree.derive('planner-model', ({ tree, files }) =>
      modelFromDistroTree(tree, files),
    );
    return Promise.resolve({ model, version });
  }
}

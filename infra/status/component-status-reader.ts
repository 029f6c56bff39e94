import { componentView } from '../../shared/distro/component-view';
import { PipelineError } from '../../shared/errors';
import { sharedDistroTree } from '../distro/distro-tree-cache';
import type { DistroTreeCache } from '../distro/distro-tree-cache';
import { componentStateTable } from '../../shared/storage';
import { CatalogueTable } from '../storage';
import type { TableOf, TableStore } from '../storage';
import { summarizeBuild } from './build-status-reader';
import type { BuildStatusReader } from './build-status-reader';
import type { PlanStatusReader } from './plan-status-reader';
import type { ComponentStatus } from '../../shared/status/ports';
import { tableRow } from './table-pages';

const RECENT_BUILDS = 10;

/**
 * Everything known about one component: its effective config and fingerprint from the distro tree (as
 * `config show` prints them), the planner's row in `componentstate` (lock, last successful fingerprint,
 * latest request), its newest builds, and the reasons of the plan item behind the newest one.
 */
export class ComponentStatusReader {
  private readonly states: TableOf<typeof componentStateTable>;
  private readonly tree: DistroTreeCache | undefined;

  constructor(
    tables: TableStore,
    private readonly builds: BuildStatusReader,
    private readonly plans: PlanStatusReader,
    /**
     * The distro tree (`AZL_DISTRO_DIR`, through the process's tree cache: loaded once per change of the
     * folder, not per request); without it the answer has no effective config.
     */
    distroDir: string | DistroTreeCache | undefined,
  ) {
    this.states = new CatalogueTable(tables, componentStateTable);
    this.tree = typeof distroDir === 'string' ? sharedDistroTree(distroDir) : distroDir;
  }

  async get(name: string): Promise<ComponentStatus | undefined> {
    const { effective, effectiveError } = this.effective(name);
    const [state, recent] = await Promise.all([
      tableRow(this.states, name),
      this.builds.recent(name, RECENT_BUILDS),
    ]);
    if (!effective && !effectiveError && !state && recent.length === 0) return undefined;
    const latest = recent[0];
    const item = latest ? await this.plans.item(latest.planId, name) : undefined;
    const { lock, lastSuccessfulFingerprint, latestFingerprint, latestRequestedAt } = state ?? {};
    return {
      component: name,
      ...(effective ? { effective } : {}),
      ...(effectiveError ? { effectiveError } : {}),
      ...(lock ? { lock } : {}),
      ...(lastSuccessfulFingerprint ? { lastSuccessfulFingerprint } : {}),
      ...(latestFingerprint && latestRequestedAt
        ? { latestRequest: { fingerprint: latestFingerprint, requestedAt: latestRequestedAt } }
        : {}),
      recentBuilds: recent.map(summarizeBuild),
      ...(latest && item
        ? { lastRebuild: { buildId: latest.buildId, planId: latest.planId, reasons: item.reasons } }
        : {}),
    };
  }

  /**
   * The effective config as `config show` gives it. A tree that does not load (a bad edit) is reported in
   * the answer rather than failing it: the component's state and builds are still worth showing.
   */
  private effective(name: string): Pick<ComponentStatus, 'effective' | 'effectiveError'> {
    if (this.tree === undefined) return {};
    try {
      const { tree, files } = this.tree.current();
      const { component: _name, ...effective } = componentView(tree, files, name);
      return { effective };
    } catch (error) {
      if (PipelineError.is(error, 'distro.unknown-component')) return {};
      if (!PipelineError.is(error) || error.retryable) throw error;
      return { effectiveError: { code: error.code, message: error.message } };
    }
  }
}

import type { DependencyView } from './ports';
import type { PlannerModel, RebuildPolicy } from './types';

export type Hop = { readonly from: string; readonly buildRequire: string; readonly to: string };

/**
 * The components to rebuild because `source` changed, each with the shortest BuildRequire path from
 * `source` (breadth first, so the path is deterministic given the view's order): none for `local`, the
 * direct reverse build dependents for `direct`, all of them transitively for `transitive`. Only components
 * of the model count; `source` itself never does.
 */
export function dependentsOf(
  source: string,
  policy: RebuildPolicy,
  deps: DependencyView,
  model: PlannerModel,
): Map<string, readonly Hop[]> {
  const found = new Map<string, readonly Hop[]>();
  if (policy === 'local') return found;
  let frontier: { name: string; path: readonly Hop[] }[] = [{ name: source, path: [] }];
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { name, path } of frontier) {
      for (const dependent of deps.reverseBuildDependents(name)) {
        const to = dependent.source;
        if (to === source || found.has(to) || !model.components.has(to)) continue;
        const hops = [...path, { from: name, buildRequire: dependent.buildRequire, to }];
        found.set(to, hops);
        next.push({ name: to, path: hops });
      }
    }
    frontier = policy === 'transitive' ? next : [];
  }
  return found;
}

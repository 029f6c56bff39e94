import { resolveComponent } from './effective';
import type { EffectiveComponent } from './effective';
import { resolveSpecOrigin } from './upstream';
import type { DistroTree } from './tree';

/** What `config check` reports about a valid tree. Overlay counts are of effective configs (what applies). */
export interface TreeSummary {
  readonly files: number;
  readonly components: number;
  readonly componentsWithOverlays: number;
  readonly overlays: number;
  readonly overlaysByType: Readonly<Record<string, number>>;
  readonly componentGroups: number;
  readonly packageGroups: number;
  readonly images: number;
}

/**
 * Resolves every component (effective config and spec origin, so a broken reference anywhere throws) and
 * counts the tree. `overlaysByType` has its keys sorted.
 */
export function summarizeTree(tree: DistroTree): TreeSummary {
  let componentsWithOverlays = 0;
  let overlays = 0;
  const byType = new Map<string, number>();
  for (const name of tree.components.keys()) {
    const component: EffectiveComponent = resolveComponent(tree, name);
    resolveSpecOrigin(tree, component);
    const list = component.config.overlays ?? [];
    if (list.length > 0) componentsWithOverlays++;
    overlays += list.length;
    for (const overlay of list) byType.set(overlay.type, (byType.get(overlay.type) ?? 0) + 1);
  }
  return {
    files: tree.files.length,
    components: tree.components.size,
    componentsWithOverlays,
    overlays,
    overlaysByType: Object.fromEntries([...byType].sort(([a], [b]) => (a < b ? -1 : 1))),
    componentGroups: Object.keys(tree.componentGroups).length,
    packageGroups: Object.keys(tree.packageGroups).length,
    images: Object.keys(tree.images).length,
  };
}

import type { DistroFiles } from './files';
import { fingerprintComponent } from './fingerprint';
import { resolveComponent } from './effective';
import { resolveSpecOrigin } from './upstream';
import type { DistroTree } from './tree';

/**
 * One component as people look at it (`config show`, the status API): where it is declared, its distro and
 * groups, its spec origin, its effective config and its fingerprint.
 */
export function componentView(tree: DistroTree, files: DistroFiles, name: string) {
  const component = resolveComponent(tree, name);
  const { fingerprint } = fingerprintComponent(tree, files, component);
  return {
    component: component.name,
    file: component.file,
    distro: component.distro ?? null,
    groups: component.groups,
    origin: resolveSpecOrigin(tree, component),
    config: component.config,
    fingerprint,
  };
}

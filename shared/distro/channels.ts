import { PipelineError } from '../errors';
import type { EffectiveComponent } from './effective';
import type { Publish } from './schema/component';
import type { DistroTree } from './tree';

/**
 * The publish channel of a binary package (research note §3.5), later wins: project
 * `default-package-config` → the producing component's `publish` → the package's group → the component's
 * `packages.<pkg>`. `rpm-channel` is preferred over the deprecated `channel` (the one 4.0 uses).
 * Undefined when nothing names a channel.
 */
export function packageChannel(
  tree: DistroTree,
  pkg: string,
  component?: EffectiveComponent,
): string | undefined {
  const group = packageGroupOf(tree, pkg);
  const layers: (Publish | undefined)[] = [
    tree.defaultPackageConfig.publish,
    component?.config.publish,
    group === undefined ? undefined : tree.packageGroups[group]?.['default-package-config']?.publish,
    component?.config.packages?.[pkg]?.publish,
  ];
  let channel: string | undefined;
  for (const layer of layers) channel = (layer?.['rpm-channel'] || layer?.channel) ?? channel;
  return channel;
}

const packageIndex = new WeakMap<DistroTree, Map<string, string>>();

/** The package group listing `pkg`. A package listed by two groups is `distro.duplicate-package`. */
export function packageGroupOf(tree: DistroTree, pkg: string): string | undefined {
  let index = packageIndex.get(tree);
  if (!index) {
    index = new Map();
    for (const [group, value] of Object.entries(tree.packageGroups)) {
      for (const name of value.packages ?? []) {
        const first = index.get(name);
        if (first !== undefined && first !== group) {
          throw PipelineError.permanent(
            'distro.duplicate-package',
            `package ${name} is in two package groups: ${first} and ${group}`,
            { package: name, packageGroup: group, firstPackageGroup: first },
          );
        }
        index.set(name, group);
      }
    }
    packageIndex.set(tree, index);
  }
  return index.get(pkg);
}

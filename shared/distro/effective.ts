import { PipelineError } from '../errors';
import { mergeValues } from './merge-values';
import type { ComponentConfig } from './schema/component';
import type { DistroTree } from './tree';

/** A component's configuration after inheritance, and where each layer came from. */
export interface EffectiveComponent {
  readonly name: string;
  /** The file that declared the component. */
  readonly file: string;
  /** The project's default distro version whose defaults form the first layer (not the upstream distro). */
  readonly distro: { readonly name: string; readonly version: string } | undefined;
  /** The component groups applied, in the order applied (sorted by name). */
  readonly groups: readonly string[];
  readonly config: ComponentConfig;
}

/**
 * azldev's `ResolveComponentConfig`: distro-version `default-component-config` → project
 * `default-component-config` → each group the component is in, sorted by group name → the component's own
 * table, each step merged by `mergeValues` with lists appended; then an empty `release.calculation` becomes
 * `auto`. An unknown name is `distro.unknown-component`.
 */
export function resolveComponent(tree: DistroTree, name: string): EffectiveComponent {
  const declared = tree.components.get(name);
  if (!declared) {
    throw PipelineError.permanent('distro.unknown-component', `no component named ${name} in ${tree.root}`, {
      component: name,
    });
  }
  const distro = defaultDistro(tree);
  const groups = groupsOf(tree).get(name) ?? [];
  const layers: ComponentConfig[] = [
    (distro && tree.distros[distro.name]?.versions?.[distro.version]?.['default-component-config']) || {},
    tree.defaultComponentConfig,
    ...groups.map((g) => tree.componentGroups[g]?.['default-component-config'] ?? {}),
    declared.config,
  ];
  let config: ComponentConfig = {};
  for (const layer of layers) config = mergeValues(config, layer, true);
  if (!config.release?.calculation) config.release = { ...config.release, calculation: 'auto' };
  return { name, file: declared.file, distro, groups, config };
}

/** The project's `default-distro`, its version defaulting to the distro's `default-version`. */
export function defaultDistro(tree: DistroTree): { name: string; version: string } | undefined {
  const ref = tree.project['default-distro'];
  if (!ref?.name) return undefined;
  const version = ref.version || tree.distros[ref.name]?.['default-version'];
  return version ? { name: ref.name, version } : undefined;
}

const groupIndex = new WeakMap<DistroTree, Map<string, string[]>>();

/** Component → the groups naming it, sorted by group name; built once per tree. */
function groupsOf(tree: DistroTree): Map<string, string[]> {
  let index = groupIndex.get(tree);
  if (index) return index;
  index = new Map();
  for (const group of Object.keys(tree.componentGroups).sort()) {
    for (const member of tree.componentGroups[group]?.components ?? []) {
      const list = index.get(member) ?? [];
      if (!list.includes(group)) list.push(group);
      index.set(member, list);
    }
  }
  groupIndex.set(tree, index);
  return index;
}

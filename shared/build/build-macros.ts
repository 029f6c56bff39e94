import type { EffectiveComponent } from '../distro/effective';
import type { ComponentConfig } from '../distro/schema/component';
import type { DistroTree } from '../distro/tree';
import { PipelineError } from '../errors';

/**
 * The macros every build of the distro is made with, as Azure Linux's mock template
 * (`distro/mock/azl4/stage2/azurelinux-4.0.tpl`, research note azurelinux-format.md §3.8) sets them:
 * `%dist .azl<major>` from the distro version's `release-ver`, the vendor and the distribution name. They are
 * not in the TOML tree. The component's `build.defines` come after, so a component can override them.
 */
export const AZURE_LINUX_VENDOR = 'Microsoft Corporation';
export const AZURE_LINUX_DISTRIBUTION = 'Azure Linux';

export function distroMacros(releaseVer: string): Record<string, string> {
  const major = /^(\d+)/.exec(releaseVer)?.[1] ?? releaseVer;
  return { dist: `.azl${major}`, vendor: AZURE_LINUX_VENDOR, distribution: AZURE_LINUX_DISTRIBUTION };
}

/** What a builder needs of a component's `build` table: macros (distro, then `defines`) and bconds. */
export interface ComponentBuildOptions {
  readonly macros: Record<string, string>;
  readonly with: string[];
  readonly without: string[];
}

export function componentBuildOptions(releaseVer: string, config: ComponentConfig): ComponentBuildOptions {
  const macros = { ...distroMacros(releaseVer), ...(config.build?.defines ?? {}) };
  for (const name of config.build?.undefines ?? []) delete macros[name];
  return { macros, with: [...(config.build?.with ?? [])], without: [...(config.build?.without ?? [])] };
}

/**
 * The build options of an effective component: the release of the distro version it is built for (the
 * project's default distro) and its own `build` table. No release-ver is `distro.invalid`.
 */
export function buildOptionsOf(tree: DistroTree, component: EffectiveComponent): ComponentBuildOptions {
  const distro = component.distro;
  const releaseVer =
    distro === undefined ? undefined : tree.distros[distro.name]?.versions?.[distro.version]?.['release-ver'];
  if (releaseVer === undefined) {
    throw PipelineError.permanent(
      'distro.invalid',
      `component ${component.name}: the project has no default distro version with a release-ver`,
      { file: component.file, component: component.name, field: 'project.default-distro' },
    );
  }
  return componentBuildOptions(releaseVer, component.config);
}

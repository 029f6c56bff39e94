import { PipelineError } from '../errors';
import type { LoadedFile } from './include-walk';
import { locateKeyPath } from './locate';
import { mergeValues } from './merge-values';
import type { DeclaredComponent, DistroTree } from './tree';
import type { ComponentConfig } from './schema/component';
import type { Distro, PackageConfig, Project, Resources, Tools } from './schema/sections';

/** azldev's embedded defaults (`defaultconfigs/content/defaults.toml`), loaded before the tree. */
const EMBEDDED_TOOLS: Tools = {
  imageCustomizer: { containerTag: 'mcr.microsoft.com/azurelinux/imagecustomizer:1' },
};

/**
 * Merges the files of a tree in load order (research note §1.2): named sections are a union where a name in
 * two files is an error (`distro.duplicate-component`, `distro.duplicate-image`, …); a distro is merged field
 * by field, its `repos` replaced and each `versions.<v>` replaced whole; `project`, `tools`, `resources` and
 * the two defaults take later non-empty fields.
 */
export function mergeFiles(root: string, files: readonly LoadedFile[]): DistroTree {
  const components = new Map<string, DeclaredComponent>();
  const named = {
    'component-groups': new Map<string, { file: string; value: never }>(),
    images: new Map<string, { file: string; value: never }>(),
    'package-groups': new Map<string, { file: string; value: never }>(),
    'test-suites': new Map<string, { file: string; value: never }>(),
  };
  let project: Project = {};
  let tools: Tools = EMBEDDED_TOOLS;
  let resources: Resources = {};
  let defaultComponentConfig: ComponentConfig = {};
  let defaultPackageConfig: PackageConfig = {};
  const distros: Record<string, Distro> = {};

  for (const { path: file, config, text } of files) {
    for (const [name, value] of Object.entries(config.components ?? {})) {
      const first = components.get(name);
      if (first)
        throw duplicate('component', name, file, first.file, locateKeyPath(text, ['components', name]));
      components.set(name, { name, file, config: value });
    }
    for (const section of Object.keys(named) as (keyof typeof named)[]) {
      for (const [name, value] of Object.entries(config[section] ?? {})) {
        const first = named[section].get(name);
        if (first) {
          const line = locateKeyPath(text, [section, name]);
          throw duplicate(section.replace(/s$/, '') as DuplicateKind, name, file, first.file, line);
        }
        named[section].set(name, { file, value: value as never });
      }
    }
    if (config.project) project = mergeValues(project, config.project, false);
    if (config.tools) tools = mergeValues(tools, config.tools, false);
    if (config.resources) resources = mergeValues(resources, config.resources, false);
    if (config['default-component-config']) {
      defaultComponentConfig = mergeValues(defaultComponentConfig, config['default-component-config'], false);
    }
    if (config['default-package-config']) {
      defaultPackageConfig = mergeValues(defaultPackageConfig, config['default-package-config'], false);
    }
    for (const [name, distro] of Object.entries(config.distros ?? {})) {
      const { versions, ...fields } = distro;
      const before = distros[name] ?? {};
      const merged: Distro = mergeValues<Distro>({ ...before, versions: undefined }, fields, false);
      merged.versions = { ...before.versions, ...versions };
      distros[name] = merged;
    }
  }
  const record = <T>(map: Map<string, { value: never }>): Record<string, T> =>
    Object.fromEntries([...map].map(([name, entry]) => [name, entry.value as T]));
  return {
    root,
    files: files.map((f) => f.path),
    project,
    distros,
    components,
    componentGroups: record(named['component-groups']),
    defaultComponentConfig,
    packageGroups: record(named['package-groups']),
    defaultPackageConfig,
    images: record(named.images),
    tools,
    testSuites: record(named['test-suites']),
    resources,
  };
}

/** What can be defined twice: a component or an entry of a named section (singular). */
type DuplicateKind = 'component' | 'component-group' | 'image' | 'package-group' | 'test-suite';

function duplicate(
  kind: DuplicateKind,
  name: string,
  file: string,
  firstFile: string,
  line: number | undefined,
): PipelineError {
  const at = line === undefined ? file : `${file}:${line}`;
  return PipelineError.permanent(
    `distro.duplicate-${kind}`,
    `${at}: duplicate ${kind.replace('-', ' ')}: ${name} (first defined in ${firstFile})`,
    { file, [kind === 'component' ? 'component' : 'name']: name, firstFile, ...(line && { line }) },
  );
}

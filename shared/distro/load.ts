import { posix } from 'node:path';
import { PipelineError } from '../errors';
import type { DistroFiles } from './files';
import { walkIncludes } from './include-walk';
import { mergeFiles } from './merge-files';
import { resolveFilePaths } from './resolve-paths';
import type { DistroTree } from './tree';

/**
 * Loads an Azure Linux 4.0 style tree from `dir/azldev.toml`: follows includes, validates every file
 * (unknown keys rejected), resolves relative paths against their declaring file, merges the files, and
 * checks cross-file references. Throws a permanent `PipelineError` (`distro.*`) naming the file.
 */
export function loadDistroTree(files: DistroFiles, dir: string): DistroTree {
  const root = posix.resolve(dir, 'azldev.toml');
  if (!files.exists(root)) {
    throw PipelineError.permanent('distro.missing-root', `${root}: no azldev.toml in ${dir}`, { file: root });
  }
  const loaded = walkIncludes(files, root).map((f) => ({
    ...f,
    config: resolveFilePaths(f.config, posix.dirname(f.path)),
  }));
  const tree = mergeFiles(root, loaded);
  checkReferences(tree);
  return tree;
}

/**
 * Group members must be defined components; a component may not set its own upstream snapshot (azldev
 * allows it only in distro and group defaults); the default distro and its version must exist.
 */
function checkReferences(tree: DistroTree): void {
  for (const component of tree.components.values()) {
    if (component.config.spec?.['upstream-distro']?.snapshot) {
      throw PipelineError.permanent(
        'distro.invalid',
        `${component.file}: component ${component.name}: spec.upstream-distro.snapshot is only allowed in defaults`,
        { file: component.file, component: component.name, field: 'spec.upstream-distro.snapshot' },
      );
    }
  }
  for (const [group, value] of Object.entries(tree.componentGroups)) {
    for (const member of value.components ?? []) {
      if (!tree.components.has(member)) {
        throw PipelineError.permanent(
          'distro.unknown-group-member',
          `component group ${group} names ${member}, which is not a defined component`,
          { componentGroup: group, component: member },
        );
      }
    }
  }
  const ref = tree.project['default-distro'];
  if (ref?.name !== undefined && ref.name !== '') {
    const distro = tree.distros[ref.name];
    const version = ref.version || distro?.['default-version'];
    if (!distro || version === undefined || !distro.versions?.[version]) {
      throw PipelineError.permanent(
        'distro.unknown-distro',
        `project default-distro ${ref.name} ${version ?? '(no version)'} is not defined`,
        { field: 'project.default-distro', distro: ref.name, version: version ?? null },
      );
    }
  }
}

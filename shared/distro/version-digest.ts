import { posix } from 'node:path';
import { canonicalJson, sha256 } from './canonical-json';
import type { DistroFiles } from './files';
import type { DistroTree } from './tree';

/** What of a distro version decides every build for it, reduced to one digest (shared by all components). */
export interface DistroVersionDigest {
  readonly name: string;
  readonly version: string;
  /** sha256 of the canonical JSON of the version's definition (paths tree-relative, its component defaults
   * left out as they are in each effective config) and of its mock config files' contents. */
  readonly digest: string;
}

const cache = new WeakMap<DistroTree, Map<string, DistroVersionDigest>>();

/**
 * The digest of a distro version, computed once per tree: the ~7,400 components of a tree share it, so
 * their fingerprints hash a short string instead of the same definition again and again.
 */
export function distroVersionDigest(
  tree: DistroTree,
  files: DistroFiles,
  distro: { name: string; version: string },
): DistroVersionDigest {
  let perTree = cache.get(tree);
  if (!perTree) cache.set(tree, (perTree = new Map()));
  const key = `${distro.name}\0${distro.version}`;
  const known = perTree.get(key);
  if (known) return known;
  const base = posix.dirname(tree.root);
  const definition = {
    ...tree.distros[distro.name]?.versions?.[distro.version],
    'default-component-config': undefined,
  };
  const mock: Record<string, string | null> = {};
  for (const field of ['mock-config', 'mock-config-x86_64', 'mock-config-aarch64'] as const) {
    const path = definition[field];
    if (path) mock[posix.relative(base, path)] = files.exists(path) ? sha256(files.read(path)) : null;
    if (path) definition[field] = posix.relative(base, path);
  }
  const digest = sha256(canonicalJson({ ...distro, definition, mock }));
  const result = { ...distro, digest };
  perTree.set(key, result);
  return result;
}

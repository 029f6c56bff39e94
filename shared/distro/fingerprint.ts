import { posix } from 'node:path';
import { canonicalJson, sha256 } from './canonical-json';
import { resolveComponent } from './effective';
import type { EffectiveComponent } from './effective';
import type { DistroFiles } from './files';
import { resolveSpecOrigin } from './upstream';
import { distroVersionDigest } from './version-digest';
import type { DistroVersionDigest } from './version-digest';
import type { SpecOrigin } from './upstream';
import type { DistroTree } from './tree';

/** Options of the build that are not in the tree (architecture, stage, …); part of the fingerprint. */
export type BuildOptions = Readonly<Record<string, string | number | boolean>>;

export interface ComponentFingerprint {
  readonly component: string;
  /** `sha256:<hex>` of the canonical JSON of `inputs`. */
  readonly fingerprint: string;
  readonly inputs: FingerprintInputs;
}

export interface FingerprintInputs {
  readonly config: unknown;
  readonly origin: SpecOrigin;
  /** The upstream distro's dist-git and lookaside URI templates (where sources are fetched from). */
  readonly upstreamDistro: { readonly distGit?: string; readonly lookaside?: string } | undefined;
  /** The project default distro version the component builds for, with its mock configs, as a digest. */
  readonly distroVersion: DistroVersionDigest | undefined;
  /**
   * Tree-relative path → sha256 of each file of the component the build reads from the tree: overlay
   * sources, a local spec and its sidecar files.
   */
  readonly files: Readonly<Record<string, string | null>>;
  readonly buildOptions: BuildOptions;
}

/**
 * The fingerprint of everything that decides a component's build: its effective config, the contents of the
 * files it points to (read through `files`; a missing file counts as `null`), its upstream reference (pinned
 * commit or branch + snapshot, and the distro's source URIs), the distro version it builds for (with its mock
 * configs' contents), and `buildOptions`. Paths are made relative
 * to the tree root, so the same tree checked out elsewhere gives the same fingerprints.
 * `contents` memoizes file hashes across calls (pass one map for a whole tree).
 */
export function fingerprintComponent(
  tree: DistroTree,
  files: DistroFiles,
  component: string | EffectiveComponent,
  buildOptions: BuildOptions = {},
  contents: Map<string, string | null> = new Map(),
): ComponentFingerprint {
  const effective = typeof component === 'string' ? resolveComponent(tree, component) : component;
  const base = posix.dirname(tree.root);
  const relative = (path: string): string => posix.relative(base, path);
  const origin = resolveSpecOrigin(tree, effective);
  const upstream = origin.kind === 'upstream' ? tree.distros[origin.distro] : undefined;
  const pointed = [
    ...(effective.config.overlays ?? []).map((o) => o.source),
    // A local spec's directory is its sources directory: every sidecar file counts.
    ...(origin.kind === 'local' ? [origin.path, ...files.glob('*', posix.dirname(origin.path))] : []),
  ].filter((p): p is string => typeof p === 'string' && p !== '');
  const hashes: Record<string, string | null> = {};
  for (const path of pointed) hashes[relative(path)] = hashOf(files, path, contents);
  const inputs: FingerprintInputs = {
    config: relativize(effective.config, base),
    origin: relativize(origin, base) as SpecOrigin,
    upstreamDistro: upstream && {
      distGit: upstream['dist-git-base-uri'],
      lookaside: upstream['lookaside-base-uri'],
    },
    distroVersion: effective.distro && distroVersionDigest(tree, files, effective.distro),
    files: hashes,
    buildOptions,
  };
  return { component: effective.name, fingerprint: `sha256:${sha256(canonicalJson(inputs))}`, inputs };
}

function hashOf(files: DistroFiles, path: string, contents: Map<string, string | null>): string | null {
  if (contents.has(path)) return contents.get(path) ?? null;
  const hash = files.exists(path) ? sha256(files.read(path)) : null;
  contents.set(path, hash);
  return hash;
}

/** Every string that is an absolute path under `base` becomes relative to it. */
function relativize(value: unknown, base: string): unknown {
  if (typeof value === 'string') return value.startsWith(`${base}/`) ? value.slice(base.length + 1) : value;
  if (Array.isArray(value)) return value.map((v) => relativize(v, base));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, relativize(v, base)]));
  }
  return value;
}

import { FsDistroFiles } from '../../infra/distro/fs-distro-files';
import { loadDistroTree } from '../../shared/distro';
import type { DistroTree } from '../../shared/distro';
import { modelFromDistroTree } from '../../shared/planner';
import type { PlannerModel } from '../../shared/planner';
import { fixturePath } from '../fixtures/fixture-path';
import { mulberry32 } from '../seeded-random';

/**
 * The scale fixture's component list: the real Azure Linux 4.0 tree (`tests/fixtures/azurelinux`, 7,426
 * components), in the order the dependency graph generator gives popularity: the components playing its
 * hubs' roles (`SCALE_HUBS`) first, the rest in a seeded shuffle, because the generator's long tail favours
 * low positions and an alphabetical order would make every `a…` package popular.
 */
export interface ScaleComponents {
  readonly tree: DistroTree;
  readonly files: FsDistroFiles;
  /** Hubs first, then the others shuffled; every component of the tree exactly once. */
  readonly names: readonly string[];
}

export const DEFAULT_SCALE_SEED = 20;

/**
 * The real components that play the generator's hubs (`HUBS`: glibc, gcc, zlib, openssl, perl, python3,
 * ncurses, libffi, xz, systemd), in that order. The tree has no `zlib` (Fedora builds zlib-ng-compat from
 * `zlib-ng`) and its fixture copy lacks the main `python3.14` (in a `*.comp.toml` the fixture leaves out),
 * so `zlib-ng` and `python3.12` stand in for them.
 */
export const SCALE_HUBS = [
  'glibc',
  'gcc',
  'zlib-ng',
  'openssl',
  'perl',
  'python3.12',
  'ncurses',
  'libffi',
  'xz',
  'systemd',
] as const;

export function loadScaleComponents(seed = DEFAULT_SCALE_SEED): ScaleComponents {
  const files = new FsDistroFiles();
  const tree = loadDistroTree(files, fixturePath('azurelinux'));
  return { tree, files, names: popularityOrder([...tree.components.keys()], seed) };
}

/** Hubs first (each must be in `all`), then the rest of `all` in a shuffle seeded by `seed`. */
export function popularityOrder(all: readonly string[], seed: number): string[] {
  const missing = SCALE_HUBS.filter((hub) => !all.includes(hub));
  if (missing.length > 0) throw new Error(`the component list lacks the hubs ${missing.join(', ')}`);
  const hubs = new Set<string>(SCALE_HUBS);
  const rest = [...all].filter((name) => !hubs.has(name)).sort();
  const rand = mulberry32(seed);
  for (let i = rest.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [rest[i], rest[j]] = [rest[j] as string, rest[i] as string];
  }
  return [...SCALE_HUBS, ...rest];
}

/**
 * The small variant: the hubs and the next `count − hubs` names of the popularity order (the shuffle makes
 * them a seeded sample of the tree). The generator makes its own graph over them, the same shape at a smaller
 * size.
 */
export function smallVariant(names: readonly string[], count: number): string[] {
  return names.slice(0, Math.max(count, SCALE_HUBS.length + 2));
}

/** The planner's model of these components of the tree (spec origin, branch, fingerprint). */
export function scaleModel(components: ScaleComponents, names: readonly string[]): PlannerModel {
  return modelFromDistroTree(components.tree, components.files, { components: names });
}

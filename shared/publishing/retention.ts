import { compareEvr } from '../deps';

/** What retention needs of a package: its name and EVR, and a key to report it by. */
export interface Retained {
  readonly name: string;
  readonly epoch: number;
  readonly version: string;
  readonly release: string;
}

/** Builds kept per package name when nothing else is configured. */
export const DEFAULT_KEEP_BUILDS = 1;

const newestFirst = (a: Retained, b: Retained) =>
  compareEvr(
    { epoch: String(b.epoch), ver: b.version, rel: b.release },
    { epoch: String(a.epoch), ver: a.version, rel: a.release },
  );

/**
 * The retention policy of a repository: of each package name keep the `keep` newest EVRs (rpm's
 * comparison), every package with a kept EVR (one EVR can be several files, e.g. a noarch and an arch
 * build). Returns what stays and what goes, each in input order.
 */
export function applyRetention<T extends Retained>(
  packages: readonly T[],
  keep: number = DEFAULT_KEEP_BUILDS,
): { kept: T[]; removed: T[] } {
  const byName = new Map<string, T[]>();
  for (const pkg of packages) byName.set(pkg.name, [...(byName.get(pkg.name) ?? []), pkg]);
  const keptSet = new Set<T>();
  for (const group of byName.values()) {
    const sorted = [...group].sort(newestFirst);
    let evrs = 0;
    let previous: T | undefined;
    for (const pkg of sorted) {
      if (previous === undefined || newestFirst(previous, pkg) !== 0) evrs += 1;
      if (evrs > Math.max(1, keep)) break;
      keptSet.add(pkg);
      previous = pkg;
    }
  }
  return {
    kept: packages.filter((pkg) => keptSet.has(pkg)),
    removed: packages.filter((pkg) => !keptSet.has(pkg)),
  };
}

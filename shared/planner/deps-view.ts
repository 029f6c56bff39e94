import type { DepEntry, DepsIndex } from '../deps';
import type { DependencyView, ReverseDependent } from './ports';

const OPERATOR: Record<string, string> = { EQ: '=', LT: '<', GT: '>', LE: '<=', GE: '>=' };

/** A capability as rpm prints it: `name`, or `name <op> [epoch:]version[-release]`. */
export function formatDependency(entry: DepEntry): string {
  if (!entry.flags || entry.ver === undefined) return entry.name;
  const epoch = entry.epoch && entry.epoch !== '0' ? `${entry.epoch}:` : '';
  const release = entry.rel ? `-${entry.rel}` : '';
  return `${entry.name} ${OPERATOR[entry.flags] ?? '='} ${epoch}${entry.ver}${release}`;
}

/**
 * The dependency index seen through the planner's port. For each reverse dependent it also names the
 * BuildRequire that a binary of the changed source satisfies, for the reason chain. The index does not
 * change once loaded: build a new view when it is replaced. Answers are not kept here; the planner keeps
 * each source's reverse dependents once per view, on integer ids (`reverseGraphOf`).
 */
export function dependencyViewOf(index: DepsIndex): DependencyView {
  return {
    sourceOfBinary: (name) => index.sourceOfBinary(name),
    binariesOfSource: (src) => index.binariesOfSource(src),
    providesOf: (src) => index.providesOf(src).map(formatDependency),
    reverseBuildDependents: (src) =>
      index.reverseBuildRequires(src).map(({ source, require }): ReverseDependent => ({
        source,
        buildRequire: formatDependency(require),
      })),
  };
}

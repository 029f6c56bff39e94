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
 * BuildRequire that a binary of the changed source satisfies, for the reason chain. Answers are memoized:
 * build a new view when the index is replaced.
 */
export function dependencyViewOf(index: DepsIndex): DependencyView {
  // The index does not change once loaded, and a plan over a root package asks for every source's reverse
  // dependents (the closure, then the waves): each answer is worked out once per view.
  const reverse = new Map<string, readonly ReverseDependent[]>();
  return {
    sourceOfBinary: (name) => index.sourceOfBinary(name),
    binariesOfSource: (src) => index.binariesOfSource(src),
    providesOf: (src) => index.providesOf(src).map(formatDependency),
    reverseBuildDependents: (src) => {
      let found = reverse.get(src);
      if (found === undefined) {
        found = index.reverseBuildRequires(src).map(({ source, require }) => ({
          source,
          buildRequire: formatDependency(require),
        }));
        reverse.set(src, found);
      }
      return found;
    },
  };
}

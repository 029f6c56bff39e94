import type { DepEntry, DepsIndex, VersionConstraint } from '../deps';
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
 * BuildRequire that a binary of the changed source satisfies, for the reason chain.
 */
export function dependencyViewOf(index: DepsIndex): DependencyView {
  return {
    sourceOfBinary: (name) => index.sourceOfBinary(name),
    binariesOfSource: (src) => index.binariesOfSource(src),
    providesOf: (src) => index.providesOf(src).map(formatDependency),
    reverseBuildDependents: (src) => {
      const binaries = new Set(index.binariesOfSource(src));
      const out: ReverseDependent[] = [];
      for (const dependent of index.reverseBuildDependents(src)) {
        for (const require of index.buildRequiresOf(dependent)) {
          const constraint: VersionConstraint | undefined =
            require.flags && require.ver !== undefined
              ? { flags: require.flags, evr: { epoch: require.epoch, ver: require.ver, rel: require.rel } }
              : undefined;
          if (index.whatProvides(require.name, constraint).some((b) => binaries.has(b))) {
            out.push({ source: dependent, buildRequire: formatDependency(require) });
          }
        }
      }
      return out;
    },
  };
}

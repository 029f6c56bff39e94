/**
 * The one port the planner reads dependency facts through. The real implementation is the dependency index
 * (`shared/deps/`); tests use an in-memory fake. All names are source (component) names of this distribution,
 * except binary package names where stated. Implementations answer from memory: the planner is pure. A
 * view's answers do not change: the planner keeps what it read per view object (`reverseGraphOf`).
 */
export interface DependencyView {
  /** The source package that builds binary `name`, if known. */
  sourceOfBinary(name: string): string | undefined;
  /** Binary packages built from source `src`. */
  binariesOfSource(src: string): readonly string[];
  /**
   * Sources with a BuildRequire that resolves to a binary of `src`, each with that BuildRequire as written
   * (for the reason chain). A source that needs several of them may appear once per BuildRequire.
   */
  reverseBuildDependents(src: string): readonly ReverseDependent[];
  /** The provides of `src`'s binaries as they are now (after the upstream change the event reports). */
  providesOf(src: string): readonly string[];
}

export interface ReverseDependent {
  readonly source: string;
  readonly buildRequire: string;
}

/**
 * What to prepare: a component, where its upstream lives and which commit to take. Every string here comes
 * from input (configuration or an event) and is validated before it reaches a path, a URL or git.
 */
export interface SourceRequest {
  /** The component; the prepared spec is `<component>.spec`. */
  readonly component: string;
  /** The dist-git package name when it differs (`spec.upstream-name`); defaults to `component`. */
  readonly upstreamName?: string;
  /** The distro's `dist-git-base-uri`, e.g. `https://src.fedoraproject.org/rpms/$pkg.git`. */
  readonly distGitTemplate: string;
  /** The distro version's `dist-git-branch`, e.g. `f43` or `rawhide`. */
  readonly branch: string;
  /** The distro's `lookaside-base-uri`, e.g. `https://src.fedoraproject.org/repo/pkgs/$pkg/$filename/$hashtype/$hash/$filename`. */
  readonly lookasideTemplate: string;
  /** The commit named by the triggering event (a dist-git push), if any. */
  readonly eventCommit?: string;
  /** The component's `upstream-commit` pin, if any. */
  readonly pinnedCommit?: string;
  /** The distro snapshot time (RFC 3339), if any. */
  readonly snapshot?: string | Date;
  /** The component's `source-files`: fetched from their origin instead of the lookaside cache. */
  readonly sourceFiles?: readonly SourceFileSpec[];
}

/** A `source-files` entry (only `origin.type = "download"` is supported here). */
export interface SourceFileSpec {
  readonly filename: string;
  /** Hex digest; when absent the file is taken as is and its sha512 recorded. */
  readonly hash?: string;
  /** `SHA256` or `SHA512` (any case); defaults to SHA512. */
  readonly hashType?: string;
  readonly origin: { readonly type: 'download'; readonly uri: string };
}

import type { CommitChoice } from './commit-choice';
import type { HashType } from './hash-types';

/** Where a prepared file came from. */
export type FileOrigin = 'dist-git' | 'lookaside' | 'source-files';

/** One file in the prepared sources folder (path relative to it, `/`-separated). */
export interface PreparedFile {
  readonly path: string;
  readonly origin: FileOrigin;
  readonly size: number;
  readonly hashType: HashType;
  readonly hash: string;
  /** Where it was downloaded from (lookaside and source-files only). */
  readonly url?: string;
}

/**
 * What was prepared, written next to the sources folder as `manifest.json`: enough to reproduce the fetch
 * (repository, branch, commit and why that commit) and to check every byte (size and hash of each file).
 * Dist-git files are hashed with sha256; downloads keep the declared hash type (sha512 when none is given).
 */
export interface SourceManifest {
  readonly component: string;
  readonly upstreamName: string;
  readonly repository: string;
  readonly branch: string;
  readonly commit: string;
  readonly chosenBy: CommitChoice['kind'];
  /** The choice in words, with its input: `snapshot 2026-02-24T08:00:00.000Z`, `pin d19ffa4`, `head`. */
  readonly chosen: string;
  readonly spec: string;
  readonly files: readonly PreparedFile[];
}

/** Files sorted by path, so equal preparations give byte-identical manifests. */
export function sortFiles(files: readonly PreparedFile[]): PreparedFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

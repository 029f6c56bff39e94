import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { globSync } from 'tinyglobby';
import { loadDistroTree } from '../../shared/distro/load';
import type { DistroFiles } from '../../shared/distro/files';
import type { DistroTree } from '../../shared/distro/tree';
import { FsDistroFiles } from './fs-distro-files';

/** The tree as it is on disk now, and the version of the folder it was loaded from. */
export interface LoadedDistroTree {
  readonly tree: DistroTree;
  readonly files: DistroFiles;
  /** `tree:<digest>` of every file's path, size and modification time under the folder. */
  readonly version: string;
}

/** How long a folder version taken by `current()` is trusted before the folder is looked at again. */
export const DISTRO_TREE_RECHECK_MS = 1_000;

/**
 * A distro tree folder loaded once and reloaded only when the folder changes: `current()` takes the folder's
 * version (a glob and a stat per file: the Azure Linux tree is about 60 files, about a millisecond) at most
 * once per `recheckAfterMs`, and loads the tree only when the version moved. So a changed tree applies to
 * what starts a second later; at 15 builds a second, each asking two or three times, looking every time was
 * 3 % of the pipeline's CPU in the scale benchmark. A tree that does not load (a bad edit) is remembered as
 * such for its version too: every caller gets the same error until the folder changes, without loading it
 * again.
 * Things derived from the tree (the planner's model) are kept per version with `derive`.
 */
export class DistroTreeCache {
  private cached:
    { readonly version: string; readonly loaded?: LoadedDistroTree; readonly error?: unknown } | undefined;
  private readonly derived = new Map<string, { version: string; value: unknown }>();
  private loads = 0;
  private checked: { readonly version: string; readonly at: number } | undefined;

  constructor(
    readonly dir: string,
    private readonly files: DistroFiles = new FsDistroFiles(),
    private readonly recheckAfterMs: number = DISTRO_TREE_RECHECK_MS,
  ) {}

  /** The tree as the folder is now; throws the load's error for a folder that does not load. */
  current(): LoadedDistroTree {
    const version = this.version();
    if (this.cached?.version !== version) {
      this.loads++;
      try {
        const tree = loadDistroTree(this.files, this.dir);
        this.cached = { version, loaded: { tree, files: this.files, version } };
      } catch (error) {
        this.cached = { version, error };
      }
    }
    if (this.cached.error !== undefined) throw this.cached.error;
    return this.cached.loaded as LoadedDistroTree;
  }

  /**
   * `make(tree)` for the current version, made once per version under `key`: e.g. the planner's model,
   * which fingerprints every component and costs more than the load itself.
   */
  derive<T>(
    key: string,
    make: (loaded: LoadedDistroTree) => T,
  ): { readonly value: T; readonly version: string } {
    const loaded = this.current();
    const kept = this.derived.get(key);
    if (kept?.version === loaded.version) return { value: kept.value as T, version: loaded.version };
    const value = make(loaded);
    this.derived.set(key, { version: loaded.version, value });
    return { value, version: loaded.version };
  }

  /** The folder's version, looked at again once `recheckAfterMs` has passed since the last look. */
  private version(): string {
    const now = Date.now();
    if (this.checked === undefined || now - this.checked.at >= this.recheckAfterMs || now < this.checked.at)
      this.checked = { version: folderVersion(this.dir), at: now };
    return this.checked.version;
  }

  /** How many times the folder was loaded (a changed version, or the first call): for tests and benches. */
  get loadCount(): number {
    return this.loads;
  }
}

const shared = new Map<string, DistroTreeCache>();

/**
 * The process's one cache of the tree in `dir` (resolved): the planner, the status API and anything else
 * reading the same folder share one load, so an instance holds the tree once and loads it once per change.
 */
export function sharedDistroTree(dir: string): DistroTreeCache {
  const key = resolve(dir);
  let cache = shared.get(key);
  if (!cache) shared.set(key, (cache = new DistroTreeCache(key)));
  return cache;
}

/** A digest of every file's path, size and modification time under `dir` (dot files left out). */
export function folderVersion(dir: string): string {
  const hash = createHash('sha256');
  const paths = globSync('**/*', { cwd: dir, onlyFiles: true, dot: false, followSymbolicLinks: false });
  for (const path of paths.sort()) {
    const stat = statSync(`${dir}/${path}`);
    hash.update(`${path}\0${stat.size}\0${stat.mtimeMs}\n`);
  }
  return `tree:${hash.digest('hex').slice(0, 16)}`;
}

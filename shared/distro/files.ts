/**
 * The loader's only window on the file system, so `shared/distro` stays pure and tests can use any tree.
 * Paths are absolute POSIX paths (or whatever the implementation accepts as absolute); `glob` returns the
 * absolute paths of the *files* under `cwd` matching a doublestar pattern, in any order (the loader sorts).
 */
export interface DistroFiles {
  read(path: string): string;
  glob(pattern: string, cwd: string): string[];
  exists(path: string): boolean;
}

import { readFileSync, statSync } from 'node:fs';
import { globSync } from 'tinyglobby';
import type { DistroFiles } from '../../shared/distro/files';

/**
 * `DistroFiles` on the local file system. Globs follow doublestar: `**` spans directories, files only,
 * dot files included, symlinked directories not followed; results are absolute paths.
 */
export class FsDistroFiles implements DistroFiles {
  read(path: string): string {
    return readFileSync(path, 'utf8');
  }

  glob(pattern: string, cwd: string): string[] {
    return globSync(pattern, {
      cwd,
      absolute: true,
      onlyFiles: true,
      dot: true,
      followSymbolicLinks: false,
      expandDirectories: false,
    });
  }

  exists(path: string): boolean {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }
}

import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { createRepodataRecord } from '../../shared/repodata';
import type { RecordOptions, RepodataRecord } from '../../shared/repodata';
import { readRpmFile } from './read-rpm-file';

/**
 * The package records of every `*.rpm` under `dir` (recursively, like createrepo_c's walk; `repodata/` and
 * hidden folders are skipped), with location hrefs relative to `dir`. Unordered: the writer sorts.
 */
export function indexDirectory(dir: string, options: RecordOptions = {}): RepodataRecord[] {
  return findRpmFiles(dir).map((path) => {
    const file = readRpmFile(path);
    return createRepodataRecord(
      file.pkg,
      {
        pkgId: file.sha256,
        locationHref: relative(dir, path).split(sep).join('/'),
        fileTime: file.mtime,
        fileSize: file.size,
      },
      options,
    );
  });
}

export function findRpmFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (folder !== dir || entry.name !== 'repodata') walk(path);
      } else if (entry.isFile() && entry.name.endsWith('.rpm')) found.push(path);
    }
  };
  walk(dir);
  return found;
}

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createRepodataRecord } from '../../shared/repodata';
import type { RecordOptions, RepodataRecord } from '../../shared/repodata';
import { readRpmFile } from './read-rpm-file';

/**
 * The package records of every `*.rpm` under `dir` (recursively, like createrepo_c's walk; `repodata/` and
 * hidden folders are skipped), with location hrefs relative to `dir`. Unordered: the writer sorts.
 */
export function indexDirectory(dir: string, options: RecordOptions = {}): RepodataRecord[] {
  return findRpmFiles(dir).map(({ path, href }) => {
    const file = readRpmFile(path);
    return createRepodataRecord(
      file.pkg,
      { pkgId: file.sha256, locationHref: href, fileTime: file.mtime, fileSize: file.size },
      options,
    );
  });
}

export interface FoundRpm {
  path: string;
  /** The path relative to the searched folder, `/`-separated: the location href. */
  href: string;
}

export function findRpmFiles(dir: string): FoundRpm[] {
  const found: FoundRpm[] = [];
  const walk = (folder: string, prefix: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      const href = prefix + entry.name;
      if (entry.isDirectory()) {
        if (prefix !== '' || entry.name !== 'repodata') walk(path, `${href}/`);
      } else if (entry.isFile() && entry.name.endsWith('.rpm')) found.push({ path, href });
    }
  };
  walk(dir, '');
  return found;
}

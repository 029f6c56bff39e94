import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import type { FileBytes, FileContent } from '../../shared/overlays/tree';

/** A file on disk as a tree file: read only if an overlay edits it, otherwise copied as it is. */
export class DiskFile implements FileBytes {
  constructor(readonly path: string) {}

  read(): Uint8Array {
    return readFileSync(this.path);
  }
}

/**
 * Folder → in-memory tree for the overlay engine: every regular file under `root` (recursively, `.git/`
 * skipped, symlinks not followed), keyed by POSIX path relative to it, as a `DiskFile` (nothing is read yet).
 */
export function readTree(root: string): Map<string, FileContent> {
  const files = new Map<string, FileContent>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== '.git') walk(path);
      else if (entry.isFile()) files.set(relative(root, path).split(sep).join('/'), new DiskFile(path));
    }
  };
  walk(root);
  return files;
}

/**
 * Writes every file of the tree under `root`, creating folders as needed: a `DiskFile` copied (byte for byte,
 * its mode kept), other bytes as they are, text as UTF-8. Text or bytes that replaced a `DiskFile` at the same
 * path of `before` (the tree as read) take that file's mode, as azldev's in-place edits keep it: an edited
 * script stays executable, a repacked archive keeps its permissions.
 */
export function writeTree(
  root: string,
  files: ReadonlyMap<string, FileContent>,
  before: ReadonlyMap<string, FileContent> = new Map(),
): void {
  for (const [path, content] of files) {
    const target = join(root, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    if (content instanceof DiskFile) {
      copyFileSync(content.path, target);
      continue;
    }
    writeFileSync(target, typeof content === 'string' ? content : content.read());
    const original = before.get(path);
    if (original instanceof DiskFile) chmodSync(target, statSync(original.path).mode & 0o7777);
  }
}

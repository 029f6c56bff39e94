import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
 * Writes every file of the tree under `root`, creating folders as needed: text as UTF-8, a `DiskFile` copied
 * (byte for byte, its mode kept), other bytes as they are.
 */
export function writeTree(root: string, files: ReadonlyMap<string, FileContent>): void {
  for (const [path, content] of files) {
    const target = join(root, ...path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    if (typeof content === 'string') writeFileSync(target, content);
    else if (content instanceof DiskFile) copyFileSync(content.path, target);
    else writeFileSync(target, content.read());
  }
}

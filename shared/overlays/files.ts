import { posix } from 'node:path';
import { notFound } from './overlay-signals';
import { globFiles } from './glob';
import { replaceLiteral, translateRegex } from './regex';
import type { OverlayOf } from './schema';
import { decodeText } from './tree';
import type { WorkingTree } from './working-tree';
import { binaryFile } from './working-tree';

/**
 * Non-spec file overlays; globs never match `*.spec` or `.git/` (see glob.ts). As in azldev, file-add copies
 * its source's bytes, file-rename moves a file's bytes and file-remove drops them: none of them reads a file.
 */
function matched(tree: WorkingTree, pattern: string): string[] {
  const files = globFiles(tree.files.keys(), pattern);
  if (files.length === 0) throw notFound(`pattern "${pattern}" did not match any files`);
  return files;
}

/** Every matched file is edited, so each must be text: a binary match is refused (`overlay.binary-file`). */
export function filePrependLines(tree: WorkingTree, o: OverlayOf<'file-prepend-lines'>): void {
  const head = `${o.lines.join('\n')}\n`;
  for (const file of matched(tree, o.file)) tree.files.set(file, head + tree.text(file));
}

/**
 * Whole-file regex (so `(?m)` and `\n` matter), literal replacement; files left unchanged are skipped. A
 * binary match is skipped too, left byte for byte (a `**` pattern meets a build's downloaded tarballs); an
 * overlay whose every match is binary is aimed at one and refused (`overlay.binary-file`).
 */
export function fileSearchReplace(tree: WorkingTree, o: OverlayOf<'file-search-replace'>): void {
  const regex = translateRegex(o.regex);
  const files = globFiles(tree.files.keys(), o.file);
  const binary: string[] = [];
  let changed = 0;
  for (const file of files) {
    const before = decodeText(tree.files.get(file) ?? '');
    if (before === undefined) {
      binary.push(file);
      continue;
    }
    const after = replaceLiteral(before, regex, o.replacement ?? '');
    if (after === before) continue;
    tree.files.set(file, after);
    changed++;
  }
  const [firstBinary] = binary;
  if (firstBinary !== undefined && binary.length === files.length) throw binaryFile(firstBinary);
  if (changed === 0) throw notFound(`regex "${o.regex}" on "${o.file}" did not apply to any targets`);
}

/** `file` is a literal destination, not a glob. */
export function fileAdd(tree: WorkingTree, o: OverlayOf<'file-add'>): void {
  tree.addFile(o.file, tree.overlaySource(o.source));
}

export function fileRemove(tree: WorkingTree, o: OverlayOf<'file-remove'>): void {
  for (const file of matched(tree, o.file)) tree.files.delete(file);
}

/** The glob must match exactly one file; it is renamed within its own directory. */
export function fileRename(tree: WorkingTree, o: OverlayOf<'file-rename'>): void {
  const files = matched(tree, o.file);
  const [file] = files;
  if (file === undefined || files.length > 1) {
    throw notFound(
      `pattern "${o.file}" matched ${files.length} files; file-rename does not support multiple files`,
    );
  }
  const dir = posix.dirname(file);
  const target = dir === '.' ? o.replacement : `${dir}/${o.replacement}`;
  if (tree.files.has(target)) throw notFound(`cannot rename "${file}": "${target}" already exists`);
  const content = tree.files.get(file);
  if (content !== undefined) tree.files.set(target, content);
  tree.files.delete(file);
}

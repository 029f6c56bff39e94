import { posix } from 'node:path';
import { notFound } from './overlay-signals';
import { globFiles } from './glob';
import type { OverlayOf } from './schema';
import { isPackageSection, parseSections, parseTag } from './spec';
import { addTag } from './spec-tags';
import type { WorkingTree } from './working-tree';

/**
 * Patch overlays. patch-add copies the patch in and registers it: in `%patchlist` when the spec has one,
 * otherwise as `Patch<N>:` in `package` (add-tag placement), N = highest numbered patch + 1 (bare `Patch:`
 * tags count as auto-numbered from 0, macro-numbered ones are ignored). It adds no `%patch` line.
 */
function nextPatchNumber(lines: readonly string[]): number {
  let highest = -1;
  for (const section of parseSections(lines).filter(isPackageSection)) {
    for (let i = section.start; i < section.end; i++) {
      const tag = parseTag(lines[i] ?? '')?.tag.toLowerCase();
      const numbered = tag === undefined ? null : /^patch(\d*)$/.exec(tag);
      if (!numbered) continue;
      highest = numbered[1] === '' ? highest + 1 : Math.max(highest, Number(numbered[1]));
    }
  }
  return highest + 1;
}

export function patchAdd(tree: WorkingTree, o: OverlayOf<'patch-add'>): void {
  const name = tree.addFile(o.file ?? posix.basename(o.source), tree.overlaySource(o.source));
  const lines = tree.specLines();
  const patchlists = parseSections(lines).filter((s) => s.name.toLowerCase() === '%patchlist');
  const last = patchlists.at(-1);
  if (last) {
    tree.setSpecLines([...lines.slice(0, last.end), name, ...lines.slice(last.end)]);
    return;
  }
  const tag = `Patch${nextPatchNumber(lines)}`;
  tree.setSpecLines(addTag(lines, { type: 'spec-add-tag', tag, value: name, package: o.package }));
}

/** Removes numbered `PatchN:` tags (any package) and `%patchlist` lines matching the glob, and the files. */
export function patchRemove(tree: WorkingTree, o: OverlayOf<'patch-remove'>): void {
  const lines = tree.specLines();
  const drop = new Set<number>();
  for (const section of parseSections(lines)) {
    const patchlist = section.name.toLowerCase() === '%patchlist';
    if (!patchlist && !isPackageSection(section)) continue;
    for (let i = section.start; i < section.end; i++) {
      const line = lines[i] ?? '';
      const tag = parseTag(line);
      const value = patchlist ? line.trim() : tag && /^patch\d+$/i.test(tag.tag) ? tag.value : undefined;
      if (value && !line.startsWith('#') && globFiles([value], o.file).length > 0) drop.add(i);
    }
  }
  if (drop.size === 0) throw notFound(`no patches matching "${o.file}" found in spec`);
  const files = globFiles(tree.files.keys(), o.file);
  if (files.length === 0) throw notFound(`pattern "${o.file}" did not match any files`);
  tree.setSpecLines(lines.filter((_, i) => !drop.has(i)));
  for (const file of files) tree.files.delete(file);
}

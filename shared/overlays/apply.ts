import { isArchiveOverlay } from './archive-edit';
import { EditedArchive } from './edited-archive';
import { fileAdd, filePrependLines, fileRemove, fileRename, fileSearchReplace } from './files';
import { notFound, OverlayRefused } from './overlay-signals';
import { patchAdd, patchRemove } from './patches';
import type { Overlay } from './schema';
import { appendLines, prependLines, searchReplace } from './spec-lines';
import { removeSection, removeSubpackage } from './spec-sections';
import { addTag, insertTag, removeTag, setTag, updateTag } from './spec-tags';
import type { WorkingTree } from './working-tree';

/** Applies one overlay to the tree in place; throws OverlayNotApplicable / OverlayRefused. */
export function applyOverlay(tree: WorkingTree, o: Overlay): void {
  // Archive overlays are applied by the archive stage before the list (archive-edit.ts, as azldev does); the
  // archive's file then is an EditedArchive. Without it, refuse rather than apply the overlay to loose files.
  if (isArchiveOverlay(o)) {
    const archive = tree.files.get(o.archive);
    if (archive instanceof EditedArchive) return;
    if (archive === undefined) throw notFound(`archive "${o.archive}" is not among the sources`);
    throw new OverlayRefused(
      'overlay.archive-unsupported',
      `${o.type} inside archive "${o.archive}" needs the archive stage (infra applyOverlays), which this render did not run`,
      { archive: o.archive },
    );
  }
  const spec = (edit: (lines: string[]) => string[]): void => tree.setSpecLines(edit(tree.specLines()));
  switch (o.type) {
    case 'spec-add-tag':
      return spec((lines) => addTag(lines, o));
    case 'spec-insert-tag':
      return spec((lines) => insertTag(lines, o));
    case 'spec-set-tag':
      return spec((lines) => setTag(lines, o));
    case 'spec-update-tag':
      return spec((lines) => updateTag(lines, o));
    case 'spec-remove-tag':
      return spec((lines) => removeTag(lines, o));
    case 'spec-prepend-lines':
      return spec((lines) => prependLines(lines, o));
    case 'spec-append-lines':
      return spec((lines) => appendLines(lines, o));
    case 'spec-search-replace':
      return spec((lines) => searchReplace(lines, o));
    case 'spec-remove-section':
      return spec((lines) => removeSection(lines, o));
    case 'spec-remove-subpackage':
      return spec((lines) => removeSubpackage(lines, o));
    case 'patch-add':
      return patchAdd(tree, o);
    case 'patch-remove':
      return patchRemove(tree, o);
    case 'file-prepend-lines':
      return filePrependLines(tree, o);
    case 'file-search-replace':
      return fileSearchReplace(tree, o);
    case 'file-add':
      return fileAdd(tree, o);
    case 'file-remove':
      return fileRemove(tree, o);
    case 'file-rename':
      return fileRename(tree, o);
  }
}

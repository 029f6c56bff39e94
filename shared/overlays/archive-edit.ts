import { posix } from 'node:path';
import type { ArchiveEntry } from './archive-entry';
import { entryPath } from './archive-entry';
import type { OverlaySite } from './drift';
import { driftError, overlayError } from './drift';
import { fileRemove, fileSearchReplace } from './files';
import { OverlayNotApplicable, OverlayRefused } from './overlay-signals';
import type { Overlay, OverlayOf } from './schema';
import { bytesFile } from './tree';
import { WorkingTree } from './working-tree';

/** An overlay that edits inside a source archive (the schema allows `archive` on these two types only). */
export type ArchiveOverlay = (OverlayOf<'file-remove'> | OverlayOf<'file-search-replace'>) & {
  readonly archive: string;
};

/** The overlays aimed at one archive, in list order, with the `archive-root` they agree on. */
export interface ArchiveGroup {
  readonly archive: string;
  /** The folder inside the archive the patterns are relative to (azldev's `%setup -n` equivalent). */
  readonly root?: string;
  readonly steps: readonly { readonly overlay: ArchiveOverlay; readonly index: number }[];
}

export const isArchiveOverlay = (overlay: Overlay): overlay is ArchiveOverlay =>
  'archive' in overlay && overlay.archive !== undefined;

/**
 * The archive overlays of a component's list, grouped by archive in order of first appearance, each group's
 * overlays in list order (azldev `groupOverlaysByArchive`: one extract, edit, repack per archive). Overlays on
 * one archive that set `archive-root` must agree; two different ones are `overlay.archive-root-conflict`.
 */
export function archiveGroups(component: string, overlays: readonly Overlay[]): ArchiveGroup[] {
  const groups = new Map<
    string,
    { archive: string; root?: string; steps: ArchiveGroup['steps'][number][] }
  >();
  overlays.forEach((overlay, index) => {
    if (!isArchiveOverlay(overlay)) return;
    let group = groups.get(overlay.archive);
    if (group === undefined) {
      group = { archive: overlay.archive, steps: [] };
      groups.set(overlay.archive, group);
    }
    const root = overlay['archive-root'];
    if (root !== undefined) {
      if (group.root !== undefined && group.root !== root) {
        throw overlayError(
          { component, index, overlay },
          'overlay.archive-root-conflict',
          `conflicting archive-root for archive "${overlay.archive}": "${group.root}" vs "${root}"`,
          { archive: overlay.archive, archiveRoot: root },
        );
      }
      group.root = root;
    }
    group.steps.push({ overlay, index });
  });
  return [...groups.values()];
}

/**
 * Applies one group's overlays to the archive's entries, as azldev does on the extracted tree: the patterns
 * match the regular files below the archive's root (its `archive-root`, else its single top-level directory
 * when it has exactly one, else the archive's top) by their path relative to it, with the loose-file
 * machinery of files.ts, so with the same globs (`*` stops at `/`, `**` crosses it, `*.spec` and `.git/` never
 * match) and the same rules (file-search-replace edits text files only; a pattern that matches nothing, or a
 * regex that changes nothing, is `overlay.drift`, naming the archive and pattern). Entries outside the root
 * and entries that are not regular files pass through. Returns the edited list (unordered: see
 * `reproducibleEntries`).
 */
export function editArchiveEntries(
  component: string,
  group: ArchiveGroup,
  entries: readonly ArchiveEntry[],
): ArchiveEntry[] {
  const [first] = group.steps;
  if (first === undefined) return [...entries];
  const where = { archive: group.archive };
  const root = extractRoot(entries, group.root, () =>
    driftError(
      siteOf(component, first),
      `archive-root "${group.root}" is not a directory in archive "${group.archive}"`,
      undefined,
      { ...where, archiveRoot: group.root ?? null },
    ),
  );
  const files = new Map<string, ArchiveEntry>();
  for (const entry of entries) {
    const relative = relativeTo(root, entryPath(entry));
    if (relative !== undefined && isRegularFile(entry)) files.set(relative, entry);
  }
  const tree = new WorkingTree(
    new Map([...files].map(([path, entry]) => [path, bytesFile(entry.body)])),
    '',
    new Map(),
  );
  for (const step of group.steps) {
    const site = siteOf(component, step);
    const context = { ...where, pattern: step.overlay.file };
    try {
      if (step.overlay.type === 'file-remove') fileRemove(tree, step.overlay);
      else fileSearchReplace(tree, step.overlay);
    } catch (error) {
      if (error instanceof OverlayNotApplicable) {
        throw driftError(site, `${error.message} in archive "${group.archive}"`, error, context);
      }
      if (error instanceof OverlayRefused) {
        throw overlayError(site, error.code, `${error.message} (in archive "${group.archive}")`, {
          ...error.context,
          ...context,
        });
      }
      throw error;
    }
  }
  const encoder = new TextEncoder();
  const edited: ArchiveEntry[] = [];
  const removed = new Map<string, ArchiveEntry>();
  for (const entry of entries) {
    const relative = relativeTo(root, entryPath(entry));
    if (relative === undefined || !isRegularFile(entry)) {
      edited.push(entry);
      continue;
    }
    const content = tree.files.get(relative);
    if (content === undefined) removed.set(entryPath(entry), entry);
    else edited.push(typeof content === 'string' ? { ...entry, body: encoder.encode(content) } : entry);
  }
  return edited.map((entry) => keepLinkedContent(entry, removed));
}

/**
 * A hard link names its target by path, so removing the target would leave it dangling; on disk (where azldev
 * edits) the link keeps the content. It becomes a regular file with the target's content, its own header kept.
 * A link to an edited file follows the edit, as a second name of the same file does on disk.
 */
function keepLinkedContent(entry: ArchiveEntry, removed: ReadonlyMap<string, ArchiveEntry>): ArchiveEntry {
  if (entry.type !== 'link' || entry.linkname === undefined) return entry;
  const target = removed.get(entryPath({ name: entry.linkname }));
  if (target === undefined) return entry;
  const { linkname: _target, ...rest } = entry;
  return { ...rest, type: 'file', body: target.body };
}

const siteOf = (component: string, step: ArchiveGroup['steps'][number]): OverlaySite => ({
  component,
  index: step.index,
  overlay: step.overlay,
});

const isRegularFile = (entry: ArchiveEntry): boolean =>
  entry.type === 'file' || entry.type === 'contiguous-file';

/** `path` relative to `root` ('' = the archive's top), or undefined when it is not below it. */
function relativeTo(root: string, path: string): string | undefined {
  if (path === '') return undefined;
  if (root === '') return path;
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : undefined;
}

/**
 * azldev `resolveExtractRoot`: the `archive-root` when given (it must be a directory of the archive: a
 * directory entry, or a prefix of other entries as tar allows), else the single top-level entry when there is
 * exactly one and it is a directory, else the archive's top ('').
 */
function extractRoot(
  entries: readonly ArchiveEntry[],
  given: string | undefined,
  missing: () => Error,
): string {
  const paths = entries.map((entry) => ({ path: entryPath(entry), type: entry.type }));
  const isDirectory = (dir: string): boolean =>
    paths.some(({ path, type }) => (path === dir && type === 'directory') || path.startsWith(`${dir}/`));
  if (given !== undefined) {
    const root = posix.normalize(given).replace(/\/+$/, '');
    if (root === '.' || root === '') return '';
    if (!isDirectory(root)) throw missing();
    return root;
  }
  const tops = new Set(paths.filter(({ path }) => path !== '').map(({ path }) => path.split('/')[0] ?? ''));
  const [top] = tops;
  return tops.size === 1 && top !== undefined && isDirectory(top) ? top : '';
}

import { PipelineError } from '../../shared/errors';
import type { ArchiveGroup } from '../../shared/overlays/archive-edit';
import { archiveGroups, editArchiveEntries } from '../../shared/overlays/archive-edit';
import { reproducibleEntries } from '../../shared/overlays/archive-entry';
import { detectCompression } from '../../shared/overlays/archive-compression';
import { driftError } from '../../shared/overlays/drift';
import { EditedArchive } from '../../shared/overlays/edited-archive';
import type { Overlay } from '../../shared/overlays';
import { rehashSourcesLine, SOURCES_FILE } from '../../shared/overlays/sources-rehash';
import type { FileContent } from '../../shared/overlays/tree';
import { decodeText } from '../../shared/overlays/tree';
import { compress, decompress } from './archive-codec';
import { readTarEntries, writeTarEntries } from './tar-entries';

/**
 * The archive stage, run before the overlay list as azldev runs it: for each archive the overlays name (in
 * order of first appearance), read it from the sources tree, apply its overlays to its entries
 * (archive-edit.ts), repack it reproducibly in the compression it really has (archive-entry.ts
 * `reproducibleEntries`: sorted, mtime 0, owner, group and mode kept) and re-hash its line in `sources`, so the
 * build's verification of the sources accepts it. Returns the tree with each edited archive as an
 * `EditedArchive` (which tells the renderer its overlays are done) and the new `sources`; a tree with no
 * archive overlay comes back as it was.
 */
export async function applyArchiveStage(
  component: string,
  files: ReadonlyMap<string, FileContent>,
  overlays: readonly Overlay[],
): Promise<Map<string, FileContent>> {
  const out = new Map(files);
  for (const group of archiveGroups(component, overlays)) {
    const repacked = await repackArchive(component, group, out.get(group.archive));
    out.set(group.archive, new EditedArchive(repacked));
    const sources = out.get(SOURCES_FILE);
    const text = sources === undefined ? undefined : decodeText(sources);
    if (text !== undefined) out.set(SOURCES_FILE, rehashSourcesLine(text, group.archive, repacked));
  }
  return out;
}

async function repackArchive(
  component: string,
  group: ArchiveGroup,
  file: FileContent | undefined,
): Promise<Buffer> {
  const [first] = group.steps;
  if (first === undefined) throw new Error(`archive group ${group.archive} has no overlays`);
  const site = { component, index: first.index, overlay: first.overlay };
  if (file === undefined || typeof file === 'string') {
    // Not among the fetched sources (the upstream moved to a new tarball name, say): the overlay is stale.
    throw driftError(site, `archive "${group.archive}" is not among the sources`, undefined, {
      archive: group.archive,
      pattern: first.overlay.file,
    });
  }
  const bytes = file.read();
  const compression = detectCompression(group.archive, bytes.subarray(0, 512));
  let entries;
  try {
    entries = await readTarEntries(await decompress(compression, bytes));
  } catch (error) {
    throw PipelineError.permanent(
      'overlay.archive-unreadable',
      `component ${component}: overlay #${first.index} (${first.overlay.type}): archive "${group.archive}" ` +
        `cannot be read as a ${compression === 'none' ? '' : `${compression}-compressed `}tar: ` +
        (error instanceof Error ? error.message : String(error)),
      {
        component,
        overlayIndex: first.index,
        overlayType: first.overlay.type,
        description: first.overlay.description ?? null,
        archive: group.archive,
        pattern: first.overlay.file,
        compression,
      },
      error,
    );
  }
  const edited = editArchiveEntries(component, group, entries);
  return compress(compression, await writeTarEntries(reproducibleEntries(edited)));
}

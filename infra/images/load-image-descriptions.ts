import { readFile } from 'node:fs/promises';
import type { DistroTree } from '../../shared/distro/tree';
import { PipelineError, describeError } from '../../shared/errors';
import { imageEntries, imageEntry } from '../../shared/images/image-entry';
import type { ImageEntry } from '../../shared/images/image-entry';
import type { KiwiDescription } from '../../shared/images/kiwi-description';
import { parseKiwiDescription } from '../../shared/images/parse-kiwi';

/** An image of the tree with its kiwi description read and parsed. */
export interface LoadedImage {
  readonly entry: ImageEntry;
  readonly description: KiwiDescription;
}

/**
 * Reads and parses the kiwi description of every image of `tree` (paths from the tree). A file several images
 * share (one description, several profiles) is read and parsed once. A missing or unreadable file is
 * `image.definition-unreadable` naming the file and the image; a file that does not parse fails as
 * `parseKiwiDescription` says.
 */
export async function loadImageDescriptions(tree: DistroTree): Promise<LoadedImage[]> {
  const parsed = new Map<string, Promise<KiwiDescription>>();
  return Promise.all(
    imageEntries(tree).map(async (entry) => {
      let description = parsed.get(entry.file);
      if (description === undefined) {
        description = readDescription(entry);
        parsed.set(entry.file, description);
      }
      return { entry, description: await description };
    }),
  );
}

/** The image called `name` with its description; `image.unknown-image` when the tree has none. */
export async function loadImageDescription(tree: DistroTree, name: string): Promise<LoadedImage> {
  const entry = imageEntry(tree, name);
  return { entry, description: await readDescription(entry) };
}

async function readDescription(entry: ImageEntry): Promise<KiwiDescription> {
  let text: string;
  try {
    text = await readFile(entry.file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unknown';
    const problem = reason === 'ENOENT' ? 'no such file' : `cannot be read (${describeError(error)})`;
    throw PipelineError.permanent(
      'image.definition-unreadable',
      `${entry.file}: the kiwi description of image '${entry.name}': ${problem}`,
      { file: entry.file, image: entry.name, reason },
      error,
    );
  }
  return parseKiwiDescription(text, entry.file);
}

import type { Image } from '../distro/schema/sections';
import type { DistroTree } from '../distro/tree';
import { PipelineError } from '../errors';

/** One `[images.<name>]` entry of the distro tree with the kiwi description it points at. */
export interface ImageEntry {
  readonly name: string;
  readonly config: Image;
  /** Absolute path of the kiwi description (the tree resolves `definition.path` against its file). */
  readonly file: string;
  /** `definition.profile`: the kiwi profile this image builds; absent selects kiwi's default profiles. */
  readonly profile?: string;
  /**
   * `allow-missing` (default false): a build leaves out, and records in the manifest, the requested packages no
   * repository has instead of failing. A build request can still force it on (`image build --allow-missing`).
   */
  readonly allowMissing: boolean;
}

/** Every image of the tree, in name order. An entry that is not a kiwi image is refused (see `imageEntry`). */
export function imageEntries(tree: DistroTree): ImageEntry[] {
  return Object.keys(tree.images)
    .sort()
    .map((name) => imageEntry(tree, name));
}

/**
 * The image called `name`: `image.unknown-image` when the tree has none; `image.invalid-definition` when its
 * entry has no `definition` with a `path`; `image.unsupported-setting` when the definition is not `kiwi`.
 */
export function imageEntry(tree: DistroTree, name: string): ImageEntry {
  const config = Object.hasOwn(tree.images, name) ? tree.images[name] : undefined;
  if (config === undefined) {
    throw PipelineError.permanent('image.unknown-image', `no image '${name}' in the distro tree`, {
      image: name,
    });
  }
  const definition = config.definition;
  if (definition === undefined || definition.path === '') {
    throw PipelineError.permanent('image.invalid-definition', `image '${name}' has no definition path`, {
      image: name,
      element: `images.${name}.definition`,
    });
  }
  if (definition.type !== 'kiwi') {
    throw PipelineError.permanent(
      'image.unsupported-setting',
      `image '${name}': definition type '${definition.type}' is not supported (supported: kiwi)`,
      { image: name, element: `images.${name}.definition.type`, value: definition.type },
    );
  }
  return {
    name,
    config,
    file: definition.path,
    allowMissing: config['allow-missing'] ?? false,
    ...(definition.profile !== undefined && definition.profile !== '' && { profile: definition.profile }),
  };
}

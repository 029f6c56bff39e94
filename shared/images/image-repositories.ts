/**
 * Which images a repository moves. The assumption, until image definitions name their repositories: every
 * image installs from all the published binary repositories of its architecture, i.e. the publisher's
 * `<channel>/<arch>` ids (see `repositoriesOfPackage` in shared/publishing/repository-layout.ts) for every
 * channel. `<channel>/debuginfo/<arch>` and `<channel>/srpms` reach no image, so their publishes trigger no
 * build. The kiwi description's own `<repository>` entries are replaced by the builder and play no part.
 */

/** One image the trigger watches: its name in the distro tree and the architecture it is built for. */
export interface ImageTarget {
  readonly name: string;
  readonly arch: string;
}

/** The tree's image names, each built for `arch` (the `AZL_IMAGE_ARCH` setting). */
export function imageTargets(names: readonly string[], arch: string): ImageTarget[] {
  return names.map((name) => ({ name, arch }));
}

/** Whether an image built for `arch` installs from `repository` (`<channel>/<arch>`, exactly two segments). */
export function imageUsesRepository(arch: string, repository: string): boolean {
  const segments = repository.split('/');
  return segments.length === 2 && segments[0] !== '' && segments[1] === arch;
}

/** The names of the images that install from `repository`, in the order given. */
export function imagesUsingRepository(images: readonly ImageTarget[], repository: string): string[] {
  return images.filter((image) => imageUsesRepository(image.arch, repository)).map((image) => image.name);
}

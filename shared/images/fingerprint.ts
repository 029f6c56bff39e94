import { canonicalJson, sha256 } from '../distro/canonical-json';
import type { ImageDefinition } from './resolve-definition';

/** The revision of each repository an image is built from: `{ repositoryId: revision }`. */
export type RepositoryRevisions = Readonly<Record<string, number | string>>;

/**
 * `sha256:<hex>` of everything that decides what an image build produces, so an unchanged fingerprint means a
 * build would change nothing and is skipped:
 *
 * - the resolved definition (profile applied, packages for the architecture, kiwi's defaults filled in) as
 *   canonical JSON, not the description's text: reindenting the file, reordering attributes or adding a
 *   comment changes no byte of the image and so no fingerprint, while any setting that reaches the image
 *   (a package, the size, the label, the kernel command line, the architecture) does;
 * - the revisions of the repositories it is installed from: the same package names install other packages
 *   once a repository moves, so a new revision is a new image even when the description did not change.
 *
 * The description's own `<repository>` entries are left out: every builder replaces them with the pipeline's
 * repositories (as `kiwi --ignore-repos --add-repo` does), so they reach no image; the revisions stand for
 * what is actually installed.
 */
export function imageFingerprint(definition: ImageDefinition, revisions: RepositoryRevisions): string {
  const { repositories: _replacedByTheBuilder, ...decidesTheImage } = definition;
  return `sha256:${sha256(canonicalJson({ definition: decidesTheImage, revisions }))}`;
}

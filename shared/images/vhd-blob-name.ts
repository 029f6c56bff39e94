import { PipelineError } from '../errors';

/** One path segment of a blob name: no slash, not `.`/`..`, no control characters, not empty. */
const SEGMENT = /^(?!\.{1,2}$)[^/\\\p{Cc}]+$/u;

/**
 * Where an image version's fixed VHD lives in the `images` container: `<image>/<version>/<image>-<version>.vhd`,
 * so one version's files (the VHD, its manifest and SBOM beside it) share a folder and the file keeps a
 * self-describing name once downloaded. `image` and `version` must each be one path segment.
 */
export function vhdBlobName(image: string, version: string): string {
  for (const [what, value] of [
    ['image', image],
    ['version', version],
  ] as const) {
    if (!SEGMENT.test(value)) {
      throw PipelineError.permanent(
        'image.invalid-name',
        `an image ${what} must be one path segment (no "/", not empty): ${JSON.stringify(value)}`,
        { [what]: value },
      );
    }
  }
  return `${image}/${version}/${image}-${version}.vhd`;
}

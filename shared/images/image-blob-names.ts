import { vhdBlobName } from './vhd-blob-name';

/** The files of one image version in the `images` container, in the VHD's folder (`<image>/<version>/`). */
export interface ImageBlobNames {
  readonly vhd: string;
  readonly manifest: string;
  readonly sbom: string;
}

export const MANIFEST_FILE = 'manifest.json';
export const SBOM_FILE = 'sbom.spdx.json';

/** `<image>/<version>/<image>-<version>.vhd`, `…/manifest.json` and `…/sbom.spdx.json`. */
export function imageBlobNames(image: string, version: string): ImageBlobNames {
  const vhd = vhdBlobName(image, version);
  const folder = vhd.slice(0, vhd.lastIndexOf('/') + 1);
  return { vhd, manifest: `${folder}${MANIFEST_FILE}`, sbom: `${folder}${SBOM_FILE}` };
}

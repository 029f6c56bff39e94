import type { BuildableImage } from '../../shared/images/image-build-service';
import type { ComputeGallery } from './compute-gallery';
import { galleryVersionName } from './gallery-image-identity';

/**
 * Registers a published VHD in Azure Compute Gallery (`AZL_GALLERY_ID`): the image definition of the image and
 * its architecture made sure of (Hyper-V generation from the firmware), then a preview image version from the
 * page blob (`galleryVersionName`), excluded from "latest". Both steps find what a previous attempt made, so
 * a retry after a failure or a crash registers the same version again without a conflict.
 */
export function galleryRegistration(
  gallery: ComputeGallery,
  storageAccountId: string,
): (image: BuildableImage, version: string, blobUrl: string) => Promise<void> {
  return async (image, version, blobUrl) => {
    const definition = await gallery.ensureImageDefinition({
      image: image.name,
      arch: image.definition.arch,
      firmware: image.definition.disk?.firmware ?? 'efi',
      description: `${image.definition.kiwiName}: preview built by azl-rebuilder`,
    });
    await gallery.createImageVersion({
      definition: definition.name,
      version: galleryVersionName(version),
      blobUrl,
      storageAccountId,
      preview: true,
    });
  };
}

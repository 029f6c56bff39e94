/**
 * Preview VM images: the distro tree's `[images.<name>]` entries (`imageEntries`), their kiwi descriptions
 * parsed into a model that refuses what it does not carry (`parseKiwiDescription`), resolved for a profile
 * and an architecture into what a builder needs (`resolveImageDefinition`), and fingerprinted with the
 * repository revisions they are built from (`imageFingerprint`). Pure: reading the files is `infra/images/`.
 */
export { imageEntries, imageEntry } from './image-entry';
export type { ImageEntry } from './image-entry';
export { parseKiwiDescription } from './parse-kiwi';
export type * from './kiwi-description';
export {
  BOOTLOADERS,
  DISK_FORMATS,
  FIRMWARES,
  IMAGE_KINDS,
  PACKAGES_SECTIONS,
  PACKAGE_MANAGERS,
  ROOT_FILESYSTEMS,
} from './kiwi-description';
export { selectProfiles, appliesTo } from './profiles';
export { resolveImageDefinition, forArch } from './resolve-definition';
export type { DiskDefinition, HyperVGeneration, ImageDefinition, ImagePackages } from './resolve-definition';
export { imageFingerprint } from './fingerprint';
export type { RepositoryRevisions } from './fingerprint';

import type { ImageBuildRecord } from './image-build';

/**
 * The port to the image build records (`infra/images/table-image-builds.ts` keeps them in the `imagebuilds`
 * table). Failures are classified `PipelineError`s; an unknown image or version is `undefined` / empty.
 */
export interface ImageBuildRecords {
  get(image: string, version: string): Promise<ImageBuildRecord | undefined>;
  /** Creates or replaces the record of its image and version. */
  put(record: ImageBuildRecord): Promise<void>;
  /** Every build of `image`, newest first. */
  versions(image: string): Promise<ImageBuildRecord[]>;
  /** The newest build of every image that has one, by image name. */
  latest(): Promise<ImageBuildRecord[]>;
}

import { z } from 'zod';
import type { ImageBuilderKind } from './images-cloud';
import type { SettingsReader } from './issues';

/**
 * Image build triggers: `AZL_IMAGE_QUIET_SECONDS`, how long the repositories an image uses must be quiet (no
 * `repo.published` for any of them) before the image is rebuilt (default 300), so a burst of publishes
 * builds one image, not one per publish; `AZL_IMAGE_ARCH`, the architecture the distro tree's images are
 * built for (default `x86_64`), which decides the repositories they use (`<channel>/<arch>`).
 */
export interface ImageSettings {
  /** False with `AZL_IMAGE_BUILDER=off`: repository changes are still recorded, but no image is built. */
  readonly builds: boolean;
  readonly quietMs: number;
  readonly arch: string;
  /**
   * `AZL_IMAGE_WORK_DIR`: where the local image builder stages roots and writes disks (a folder per build,
   * removed after it); absent: the system's temporary folder.
   */
  readonly workDir?: string;
}

export const DEFAULT_IMAGE_QUIET_SECONDS = 300;
export const DEFAULT_IMAGE_ARCH = 'x86_64';

const quietSeconds = z.coerce
  .number({ error: 'must be a number of seconds' })
  .int('must be a whole number of seconds')
  .min(0, 'must not be negative')
  .max(86_400, 'must be at most 86400 (a day)');
const absolutePath = z.string().regex(/^\//, 'must be an absolute path');
const arch = z.string().regex(/^[a-z0-9_]+$/, 'must be an architecture name, e.g. x86_64 or aarch64');

export function resolveImages(reader: SettingsReader, builder: ImageBuilderKind): ImageSettings {
  const quiet = reader.optional('AZL_IMAGE_QUIET_SECONDS', quietSeconds);
  const workDir = reader.optional('AZL_IMAGE_WORK_DIR', absolutePath);
  return {
    builds: builder !== 'off',
    quietMs: (quiet ?? DEFAULT_IMAGE_QUIET_SECONDS) * 1000,
    arch: reader.optional('AZL_IMAGE_ARCH', arch) ?? DEFAULT_IMAGE_ARCH,
    ...(workDir === undefined ? {} : { workDir }),
  };
}

import { z } from 'zod';
import { imageRepositorySchema } from './manifest';

/**
 * What one cloud image build is asked to do: the contract between the dispatcher that starts a Container Apps
 * Job execution (infra/images/container-apps-image-dispatcher.ts) and `azl-rebuilder worker image` inside it,
 * which runs kiwi-ng on the image's description with these repositories instead of the description's own,
 * then uploads the fixed VHD, its manifest and SBOM to `output`.
 */
export const imageJobRequestSchema = z
  .object({
    /** The image's name in the distro tree (`[images.<name>]` of images.toml). */
    image: z.string().min(1),
    version: z.string().min(1),
    arch: z.enum(['x86_64', 'aarch64']),
    /** The kiwi profiles to build (kiwi-ng's global `--profile`); empty: the description's defaults. */
    profiles: z.array(z.string().regex(/^[-\w.]+$/, 'a kiwi profile name')).default([]),
    /** The image fingerprint (definition and repository revisions) the build is for, copied to the manifest. */
    fingerprint: z.string().min(1),
    /** The pipeline's published repositories, in priority order; they replace the description's. */
    repositories: z.array(imageRepositorySchema).min(1),
    /** Build without the packages no repository has, and list them in the manifest, instead of failing. */
    allowMissing: z.boolean().default(false),
    /** Where the VHD goes: `<container>/<vhdBlobName>`, its manifest and SBOM beside it. */
    output: z.object({ container: z.string().min(1), vhdBlobName: z.string().min(1) }).strict(),
  })
  .strict();

export type ImageJobRequest = z.infer<typeof imageJobRequestSchema>;
export type ImageJobRequestInput = z.input<typeof imageJobRequestSchema>;

import { z } from 'zod';
import type { SettingsReader } from './issues';
import type { ContainerAppsJobId } from './builder';
import {
  containerAppsJobId,
  containerImage,
  containerName,
  cpu,
  DEFAULT_ARM_ENDPOINT,
  memory,
} from './builder';
import { clientId, serviceUrl } from './shapes';

/**
 * Where preview VM images are built: on this machine (`local`, the default: `dnf --installroot`, mkfs and the
 * project's disk writer) or, with `AZL_IMAGE_BUILDER=container-apps-job`, as one execution of a Container Apps
 * Job per image build, which runs kiwi-ng on the real description (infra/images/image-builder.Dockerfile).
 *
 * The image builder is its own job, apart from the package builder's (`AZL_BUILDER`): it needs another image
 * (kiwi-ng, qemu-img), more disk and room to build a disk, and either may run without the other.
 * The ARM endpoint and identity are shared with the package builder and the gallery (`AZL_ARM_ENDPOINT`,
 * `AZURE_CLIENT_ID`).
 */
export interface ContainerAppsImageBuilderSettings {
  readonly kind: 'container-apps-job';
  readonly job: ContainerAppsJobId;
  /** ARM's base URL without a trailing slash; its `/.default` is the token scope. */
  readonly armEndpoint: string;
  /** The image builder's container image and name: a start template replaces the job's containers. */
  readonly image: string;
  readonly containerName: string;
  /** CPU cores and memory (`8Gi`) of the image build; absent keeps the job's own. */
  readonly resources?: { readonly cpu: number; readonly memory: string };
  /** A user-assigned identity's client id; absent uses the system-assigned identity. */
  readonly clientId?: string;
}

export const IMAGE_BUILDER = 'AZL_IMAGE_BUILDER';
export const IMAGE_BUILDER_JOB_ID = 'AZL_IMAGE_BUILDER_JOB_ID';
export const IMAGE_BUILDER_IMAGE = 'AZL_IMAGE_BUILDER_IMAGE';
const CONTAINER = 'AZL_IMAGE_BUILDER_CONTAINER';
const CPU = 'AZL_IMAGE_BUILDER_CPU';
const MEMORY = 'AZL_IMAGE_BUILDER_MEMORY';

const imageBuilderKind = z.enum(['local', 'container-apps-job', 'off'], {
  error: 'must be local, container-apps-job or off',
});

/** `AZL_IMAGE_BUILDER`: where images are built; `off` builds none (a deployment without an image builder job). */
export type ImageBuilderKind = z.infer<typeof imageBuilderKind>;

/** Reads `AZL_IMAGE_BUILDER` once (default `local`); a malformed value is reported and counts as `local`. */
export function readImageBuilderKind(reader: SettingsReader): ImageBuilderKind {
  return reader.optional(IMAGE_BUILDER, imageBuilderKind) ?? 'local';
}

/**
 * The cloud image builder's settings when `AZL_IMAGE_BUILDER=container-apps-job`; undefined for `local` (the
 * default) and when a setting is missing or malformed (then reported: container-apps-job without
 * `AZL_IMAGE_BUILDER_JOB_ID` or `AZL_IMAGE_BUILDER_IMAGE` is refused, never quietly local).
 */
export function resolveImageBuilder(
  reader: SettingsReader,
  kind: ImageBuilderKind,
): ContainerAppsImageBuilderSettings | undefined {
  // Every setting is read (and a malformed one reported) whatever the kind, as the gallery's are: a deployment
  // that leaves image builds off still sets them, blank.
  const cloud = kind === 'container-apps-job';
  const required = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    if (cloud && !reader.present(name)) {
      reader.report(name, `missing (required when ${IMAGE_BUILDER}=container-apps-job)`);
    }
    return reader.optional(name, schema);
  };
  const job = required(IMAGE_BUILDER_JOB_ID, containerAppsJobId);
  const image = required(IMAGE_BUILDER_IMAGE, containerImage);
  const name = reader.optional(CONTAINER, containerName);
  const cores = reader.optional(CPU, cpu);
  const gib = reader.optional(MEMORY, memory);
  if (reader.present(CPU) !== reader.present(MEMORY)) {
    reader.report(reader.present(CPU) ? MEMORY : CPU, `missing (set ${CPU} and ${MEMORY} together)`);
  }
  if (!cloud) return undefined;
  // Shared with the package builder and the gallery: a malformed value is reported once, by the first reader.
  const shared = <T>(settingName: string, schema: z.ZodType<T>): T | undefined =>
    reader.hasIssuesFor(settingName) ? undefined : reader.optional(settingName, schema);
  const armEndpoint = shared('AZL_ARM_ENDPOINT', serviceUrl) ?? DEFAULT_ARM_ENDPOINT;
  const identity = shared('AZURE_CLIENT_ID', clientId);
  if (job === undefined || image === undefined) return undefined;
  return {
    kind: 'container-apps-job',
    job,
    armEndpoint,
    image,
    containerName: name ?? job.jobName.toLowerCase(),
    ...(cores === undefined || gib === undefined ? {} : { resources: { cpu: cores, memory: gib } }),
    ...(identity === undefined ? {} : { clientId: identity }),
  };
}

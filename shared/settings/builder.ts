import { z } from 'zod';
import type { SettingsReader } from './issues';
import { clientId, serviceUrl } from './shapes';

/**
 * Where builds run: `rpmbuild` on this machine (`local`, the default), one Azure Container Apps Job execution
 * per build, started through the ARM REST API with the Function app's managed identity, or nowhere
 * (`synthetic`: generated packages, for tests and benchmarks only).
 */
export type BuilderSettings =
  { readonly kind: 'local' } | ContainerAppsJobBuilderSettings | SyntheticBuilderSettings;

/**
 * The synthetic builder writes a valid binary and source RPM for the component instead of building, after
 * `buildMs`; a build fails when the hash of its component and fingerprint falls under `failureRate`.
 */
export interface SyntheticBuilderSettings {
  readonly kind: 'synthetic';
  readonly buildMs: number;
  /** 0 (never) to 1 (always). */
  readonly failureRate: number;
}

export interface ContainerAppsJobBuilderSettings {
  readonly kind: 'container-apps-job';
  readonly job: ContainerAppsJobId;
  /** ARM's base URL without a trailing slash; its `/.default` is the token scope. */
  readonly armEndpoint: string;
  /** The image and container name the execution runs: a start template replaces the job's containers. */
  readonly image: string;
  readonly containerName: string;
  /** CPU cores and memory (`4Gi`) of the build container; absent keeps the job's own. */
  readonly resources?: { readonly cpu: number; readonly memory: string };
  /** A user-assigned identity's client id; absent uses the system-assigned identity. */
  readonly clientId?: string;
}

/** A Container Apps Job's ARM resource id and its parts. */
export interface ContainerAppsJobId {
  readonly resourceId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly jobName: string;
}

export const DEFAULT_ARM_ENDPOINT = 'https://management.azure.com';

const BUILDER = 'AZL_BUILDER';
const JOB_ID = 'AZL_CONTAINER_APPS_JOB_ID';
const IMAGE = 'AZL_CONTAINER_APPS_JOB_IMAGE';
const CONTAINER = 'AZL_CONTAINER_APPS_JOB_CONTAINER';
const CPU = 'AZL_CONTAINER_APPS_JOB_CPU';
const MEMORY = 'AZL_CONTAINER_APPS_JOB_MEMORY';
const ARM_ENDPOINT = 'AZL_ARM_ENDPOINT';
const CLIENT_ID = 'AZURE_CLIENT_ID';
const ALLOW_SYNTHETIC = 'AZL_ALLOW_SYNTHETIC_BUILDER';
const SYNTHETIC_BUILD_MS = 'AZL_SYNTHETIC_BUILD_MS';
const SYNTHETIC_FAILURE_RATE = 'AZL_SYNTHETIC_FAILURE_RATE';
export const DEFAULT_SYNTHETIC_BUILD_MS = 10;

const JOB_ID_PATTERN =
  /^\/subscriptions\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.App\/jobs\/([-\w.()]{1,64})$/i;

/** `/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.App/jobs/<name>` (ARM ids ignore case). */
export const containerAppsJobId = z.string().transform((text, ctx): ContainerAppsJobId => {
  const match = JOB_ID_PATTERN.exec(text);
  const [, subscriptionId, resourceGroup, jobName] = match ?? [];
  if (!subscriptionId || !resourceGroup || !jobName || resourceGroup.endsWith('.')) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a job resource id: /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.App/jobs/<job name>',
    });
    return z.NEVER;
  }
  return { resourceId: text, subscriptionId, resourceGroup, jobName };
});

const builderKind = z.enum(['local', 'container-apps-job', 'synthetic'], {
  error: 'must be local, container-apps-job or synthetic',
});
const buildMs = z.coerce
  .number({ error: 'must be a number of milliseconds' })
  .int({ error: 'must be a whole number of milliseconds' })
  .min(0, { error: 'must be 0 or more milliseconds' })
  .max(3_600_000, { error: 'must be at most 3600000 milliseconds (an hour)' });
const failureRate = z.coerce
  .number({ error: 'must be a fraction of builds from 0 to 1' })
  .min(0, { error: 'must be a fraction of builds from 0 to 1' })
  .max(1, { error: 'must be a fraction of builds from 0 to 1' });
export const containerImage = z
  .string()
  .regex(/^[\w.\-/:@]+$/, { error: 'must be a container image reference such as myacr.azurecr.io/azl:1' });
export const containerName = z.string().regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, {
  error: 'must be a container name (lower-case, digits, -)',
});
export const cpu = z.coerce.number({ error: 'must be a number of CPU cores, e.g. 2' }).positive().max(64);
export const memory = z.string().regex(/^\d+(\.\d+)?Gi$/, { error: 'must be an amount such as 4Gi' });

/** Cloud settings are read only when `AZL_BUILDER=container-apps-job`; then the job id and image are required. */
export function resolveBuilder(reader: SettingsReader): BuilderSettings | undefined {
  const kind = reader.present(BUILDER) ? reader.optional(BUILDER, builderKind) : 'local';
  if (kind === 'synthetic') return resolveSynthetic(reader);
  if (kind !== 'container-apps-job') return kind === undefined ? undefined : { kind };
  const required = <T>(name: string, schema: z.ZodType<T>): T | undefined => {
    if (!reader.present(name)) reader.report(name, `missing (required when ${BUILDER}=container-apps-job)`);
    return reader.optional(name, schema);
  };
  const job = required(JOB_ID, containerAppsJobId);
  const jobImage = required(IMAGE, containerImage);
  const name = reader.optional(CONTAINER, containerName);
  const cores = reader.optional(CPU, cpu);
  const gib = reader.optional(MEMORY, memory);
  if (reader.present(CPU) !== reader.present(MEMORY)) {
    reader.report(reader.present(CPU) ? MEMORY : CPU, `missing (set ${CPU} and ${MEMORY} together)`);
  }
  const armEndpoint = reader.optional(ARM_ENDPOINT, serviceUrl) ?? DEFAULT_ARM_ENDPOINT;
  const identity = reader.optional(CLIENT_ID, clientId);
  if (job === undefined || jobImage === undefined) return undefined;
  return {
    kind,
    job,
    armEndpoint,
    image: jobImage,
    containerName: name ?? job.jobName.toLowerCase(),
    ...(cores === undefined || gib === undefined ? {} : { resources: { cpu: cores, memory: gib } }),
    ...(identity === undefined ? {} : { clientId: identity }),
  };
}

/**
 * A builder that builds nothing must never be chosen by mistake on a real deployment: it is refused unless
 * `AZL_ALLOW_SYNTHETIC_BUILDER=1`, which only tests and benchmarks set.
 */
function resolveSynthetic(reader: SettingsReader): SyntheticBuilderSettings | undefined {
  const allowed = reader.optional(ALLOW_SYNTHETIC, z.string()) === '1';
  if (!allowed) {
    reader.report(
      BUILDER,
      `synthetic writes generated packages instead of building: refused unless ${ALLOW_SYNTHETIC}=1 (tests and benchmarks only)`,
    );
  }
  const ms = reader.optional(SYNTHETIC_BUILD_MS, buildMs) ?? DEFAULT_SYNTHETIC_BUILD_MS;
  const rate = reader.optional(SYNTHETIC_FAILURE_RATE, failureRate) ?? 0;
  // A malformed duration or rate is reported; loadSettings then fails on the reported issues.
  return allowed ? { kind: 'synthetic', buildMs: ms, failureRate: rate } : undefined;
}

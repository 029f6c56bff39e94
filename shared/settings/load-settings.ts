import { z } from 'zod';
import { PipelineError } from '../errors';
import { instanceNameSchema } from '../events/cloud-event';
import { resolveWebhooks } from './webhooks';
import type { WebhookSettings } from './webhooks';
import { LOG_LEVELS } from '../log-level';
import type { LogLevel } from '../log-level';
import { resolveBuilder } from './builder';
import { resolveGallery } from './gallery';
import type { GallerySettings } from './gallery';
import { readImageBuilderKind, resolveImageBuilder } from './images-cloud';
import type { ContainerAppsImageBuilderSettings } from './images-cloud';
import { resolveImages } from './images';
import type { ImageSettings } from './images';
import type {
  BuilderSettings,
  ContainerAppsJobBuilderSettings,
  ContainerAppsJobId,
  SyntheticBuilderSettings,
} from './builder';
import { applicationInsightsConnectionString } from './connection-strings';
import { SettingsReader } from './issues';
import type { Env, SettingIssue } from './issues';
import { resolveServiceBus } from './service-bus';
import type { ServiceBusSettings } from './service-bus';
import { resolvePlanner } from './planner';
import type { PlannerSettings } from './planner';
import { resolvePublishing } from './publishing';
import type { PublishingSettings } from './publishing';
import { resolvePublishingStorage } from './publishing-storage';
import type { PublishingStorageSettings } from './publishing-storage';
import { resolveStorage } from './storage';
import type { StorageSettings } from './storage';

export type {
  BuilderSettings,
  ContainerAppsImageBuilderSettings,
  ContainerAppsJobBuilderSettings,
  ContainerAppsJobId,
  Env,
  GallerySettings,
  ImageSettings,
  PlannerSettings,
  PublishingSettings,
  PublishingStorageSettings,
  SettingIssue,
  ServiceBusSettings,
  StorageSettings,
  SyntheticBuilderSettings,
};
export { DEFAULT_ARM_ENDPOINT } from './builder';

/**
 * The app settings the pipeline reads, by the names the Azure deployment uses (and `local.settings.json`
 * mirrors). `loadSettings` is pure: it reads only the record it is given, e.g. `process.env`.
 */
export interface Settings {
  readonly storage: StorageSettings;
  /**
   * The account of the anonymously readable containers (`repos`), `AZL_PUBLISHING_STORAGE` and its `__`
   * forms (settings/publishing-storage.ts); absent: they live in `storage`'s account.
   */
  readonly publishingStorage?: PublishingStorageSettings;
  readonly serviceBus: ServiceBusSettings;
  /** Absent (or blank) turns Application Insights export off. */
  readonly applicationInsightsConnectionString?: string;
  readonly logLevel: LogLevel;
  /** Datagrepper catch-up: on unless `AZL_FEDORA_CATCH_UP=off` (the local demo turns it off). */
  readonly catchUp: { readonly enabled: boolean; readonly datagrepperUrl: string };
  /** The Fedora release number Rawhide currently is (`AZL_RAWHIDE_RELEASE`), so `f44` events map to rawhide. */
  readonly rawhideRelease?: number;
  /** Planning (`AZL_DISTRO_DIR` and friends, see settings/planner.ts); absent: events are kept pending. */
  readonly planner?: PlannerSettings;
  /** Where builds run (`AZL_BUILDER`): `local` rpmbuild, or a Container Apps Job execution per build. */
  readonly builder: BuilderSettings;
  /** Azure Compute Gallery registration of preview images (`AZL_GALLERY_ID`, settings/gallery.ts); absent: off. */
  readonly gallery?: GallerySettings;
  /**
   * Image builds as Container Apps Job executions (`AZL_IMAGE_BUILDER=container-apps-job`,
   * settings/images-cloud.ts); absent: images are built on this machine.
   */
  readonly imageBuilder?: ContainerAppsImageBuilderSettings;
  /** Image build triggers (`AZL_IMAGE_QUIET_SECONDS`, `AZL_IMAGE_ARCH`, settings/images.ts). */
  readonly images: ImageSettings;
  /** Repository publishing (`AZL_REPO_KEEP_BUILDS`, `AZL_REPO_GRACE_SECONDS`): retention and the grace period. */
  readonly publishing: PublishingSettings;
  /**
   * Fault injection for crash tests (`AZL_PUBLISH_COMMIT_DELAY_MS`, default none): every publish waits this
   * long after writing its metadata and state, just before it commits `repomd.xml`, so a test can kill the
   * process while a publish is in progress. Never set in production.
   */
  readonly publishCommitDelayMs?: number;
  /**
   * The pipeline instance its events name as their CloudEvents `source` (`urn:azl-rebuilder:<name>`):
   * `AZL_INSTANCE_NAME`, else `WEBSITE_SITE_NAME` (the function app's name, which Azure sets), else
   * `azl-rebuilder`.
   */
  readonly instanceName: string;
  /**
   * Webhook URLs to loopback, and plain http to them (`AZL_WEBHOOK_ALLOW_LOOPBACK=true`; default false): for
   * receivers on this machine while trying the pipeline out. The local runtime turns it on; never in Azure.
   */
  readonly webhookAllowLoopback: boolean;
  /** Webhook delivery: retries, disabling, log retention, links, Event Grid (see `resolveWebhooks`). */
  readonly webhooks: WebhookSettings;
}

/** The instance name when neither `AZL_INSTANCE_NAME` nor `WEBSITE_SITE_NAME` is set. */
export const DEFAULT_INSTANCE_NAME = 'azl-rebuilder';

/** Fedora's production datagrepper (message history), read by the catch-up. */
export const DEFAULT_DATAGREPPER_URL = 'https://apps.fedoraproject.org/datagrepper';

const logLevel = z
  .string()
  .toLowerCase()
  .pipe(
    z.enum(LOG_LEVELS, {
      error: (issue) => `must be one of ${LOG_LEVELS.join(', ')} (got "${String(issue.input)}")`,
    }),
  );

/**
 * Reads and validates every setting, then throws one `settings.invalid` PipelineError naming each missing or
 * malformed setting, e.g. "ServiceBusConnection: missing (set ServiceBusConnection or
 * ServiceBusConnection__fullyQualifiedNamespace)". Values are never echoed except the log level.
 */
export function loadSettings(env: Env): Settings {
  const reader = new SettingsReader(env);
  const storage = resolveStorage(reader);
  const publishingStorage = resolvePublishingStorage(reader);
  const serviceBus = resolveServiceBus(reader);
  const appInsights = reader.optional(
    'APPLICATIONINSIGHTS_CONNECTION_STRING',
    applicationInsightsConnectionString,
  );
  const level = reader.optional('AZL_LOG_LEVEL', logLevel) ?? 'info';
  const catchUpEnabled = reader.optional(
    'AZL_FEDORA_CATCH_UP',
    z.enum(['on', 'off'], { error: 'must be on or off' }),
  );
  const datagrepperUrl = reader.optional('AZL_DATAGREPPER_URL', z.url({ error: 'must be a URL' }));
  const rawhideRelease = reader.optional(
    'AZL_RAWHIDE_RELEASE',
    z.coerce.number({ error: 'must be a Fedora release number, e.g. 44' }).int().min(1).max(999),
  );
  const publishCommitDelayMs = reader.optional(
    'AZL_PUBLISH_COMMIT_DELAY_MS',
    z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(0).max(600_000),
  );
  const instanceName =
    reader.optional('AZL_INSTANCE_NAME', instanceNameSchema) ??
    reader.optional('WEBSITE_SITE_NAME', instanceNameSchema) ??
    DEFAULT_INSTANCE_NAME;
  const webhookAllowLoopback = reader.optional(
    'AZL_WEBHOOK_ALLOW_LOOPBACK',
    z.enum(['true', 'false'], { error: 'must be true or false' }),
  );
  const planner = resolvePlanner(reader);
  const builder = resolveBuilder(reader);
  const gallery = resolveGallery(reader);
  const imageBuilderKind = readImageBuilderKind(reader);
  const imageBuilder = resolveImageBuilder(reader, imageBuilderKind);
  const images = resolveImages(reader, imageBuilderKind);
  const publishing = resolvePublishing(reader);
  const webhooks = resolveWebhooks(reader);
  if (
    reader.issues.length > 0 ||
    storage === undefined ||
    serviceBus === undefined ||
    builder === undefined
  ) {
    throw settingsError(reader.issues);
  }
  return {
    storage,
    ...(publishingStorage === undefined ? {} : { publishingStorage }),
    serviceBus,
    ...(appInsights === undefined ? {} : { applicationInsightsConnectionString: appInsights }),
    logLevel: level,
    catchUp: {
      enabled: catchUpEnabled !== 'off',
      datagrepperUrl: datagrepperUrl ?? DEFAULT_DATAGREPPER_URL,
    },
    ...(rawhideRelease === undefined ? {} : { rawhideRelease }),
    ...(planner === undefined ? {} : { planner }),
    builder,
    ...(gallery === undefined ? {} : { gallery }),
    ...(imageBuilder === undefined ? {} : { imageBuilder }),
    images,
    publishing,
    ...(publishCommitDelayMs ? { publishCommitDelayMs } : {}),
    instanceName,
    webhookAllowLoopback: webhookAllowLoopback === 'true',
    webhooks,
  };
}

function settingsError(issues: readonly SettingIssue[]): PipelineError {
  const lines = issues.map((issue) => `${issue.setting}: ${issue.problem}`);
  return PipelineError.permanent('settings.invalid', `invalid app settings: ${lines.join('; ')}`, {
    component: 'settings',
    settings: issues.map((issue) => issue.setting).join(','),
  });
}

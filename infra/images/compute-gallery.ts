import type { ComputeManagementClient, GalleryImage, GalleryImageVersion } from '@azure/arm-compute';
import type { TokenCredential } from '@azure/core-auth';
import { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import type { GallerySettings } from '../../shared/settings/gallery';
import { createArmCredential } from '../arm/credential';
import { armSdkOptions, reportTokenFailures } from '../arm/sdk-options';
import { galleryError, isNotFound } from './gallery-errors';
import {
  assertGalleryVersionName,
  galleryArchitecture,
  hyperVGenerationFor,
  imageDefinitionName,
} from './gallery-image-identity';
import type { GalleryArchitecture, HyperVGeneration } from './gallery-image-identity';

/**
 * Registers published preview VM images in Azure Compute Gallery (`AZL_GALLERY_ID`) with `@azure/arm-compute`:
 * an image definition per image and architecture (Linux, generalized, Hyper-V generation from the kiwi
 * firmware), and an image version per published VHD, created from the page blob in the gallery's region.
 * The identity needs Contributor (or `Microsoft.Compute/galleries/images/*` and `.../versions/*`) on the
 * gallery and read access to the storage account holding the VHD.
 *
 * Long-running operations (201/202 with `Azure-AsyncOperation` or `Location`) are waited for with the SDK's
 * poller; `updateIntervalInMs` is the interval when ARM names none (`Retry-After` wins, as the SDK decides).
 *
 * Repeating a registration is safe: an existing definition with the same identity is used as it is, and an
 * existing version made from the same blob counts as done (Succeeded), still in progress
 * (`gallery.version-pending`, transient) or failed (`gallery.provisioning-failed`). A version of the same
 * name from another blob is `gallery.conflict` (permanent): gallery versions are immutable, so the caller
 * must publish under a new version. Failures are classified in gallery-errors.ts.
 */
export interface ComputeGalleryOptions {
  /** A promise while the SDK loads ({@link computeClient}). */
  readonly client: ComputeManagementClient | Promise<ComputeManagementClient>;
  readonly settings: Pick<GallerySettings, 'gallery' | 'endOfLifeDays' | 'publisher' | 'offer'>;
  /** Polling interval of long-running operations when ARM sends no `Retry-After`; SDK default 2 s. */
  readonly updateIntervalInMs?: number;
  readonly now?: () => number;
}

export interface ImageDefinitionSpec {
  /** The image's name in the distro tree (`vm-base`). */
  readonly image: string;
  /** The RPM architecture it is built for (`x86_64`, `aarch64`). */
  readonly arch: string;
  /** kiwi's `firmware` (`efi`, `uefi`, `bios`). */
  readonly firmware: string;
  readonly description?: string;
}

export interface ImageDefinition {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly hyperVGeneration: HyperVGeneration;
  readonly architecture: GalleryArchitecture;
  /** False when the definition already existed. */
  readonly created: boolean;
}

export interface ImageVersionSpec {
  /** The image definition's name (`ImageDefinition.name`). */
  readonly definition: string;
  /** `Major.Minor.Patch`. */
  readonly version: string;
  /** The page blob holding the fixed VHD. */
  readonly blobUrl: string;
  /** The ARM id of the storage account holding the blob. */
  readonly storageAccountId: string;
  /** Previews are excluded from "latest" (default true), so a VM asking for latest never gets one. */
  readonly preview?: boolean;
  readonly signal?: AbortSignal;
}

export interface ImageVersion {
  readonly id: string;
  readonly name: string;
  readonly location: string;
  readonly provisioningState: string;
  readonly endOfLifeDate?: string;
  /** False when an identical version already existed. */
  readonly created: boolean;
}

const DAY_MS = 86_400_000;

export class ComputeGallery {
  private readonly client: Promise<ComputeManagementClient>;
  private readonly settings: ComputeGalleryOptions['settings'];
  private readonly updateIntervalInMs: number | undefined;
  private readonly now: () => number;
  private location: Promise<string> | undefined;

  constructor(options: ComputeGalleryOptions) {
    this.client = Promise.resolve(options.client);
    this.settings = options.settings;
    this.updateIntervalInMs = options.updateIntervalInMs;
    this.now = options.now ?? Date.now;
  }

  /** The gallery's region: definitions live there and versions replicate to it. Read once. */
  galleryLocation(): Promise<string> {
    const { resourceGroup, galleryName } = this.settings.gallery;
    this.location ??= this.client
      .then((client) => client.galleries.get(resourceGroup, galleryName))
      .then(
        (gallery) => gallery.location,
        (error: unknown) => {
          this.location = undefined;
          throw galleryError(error, 'get gallery', { gallery: galleryName });
        },
      );
    return this.location;
  }

  /** Makes sure the image definition of (image, architecture) exists, creating it when it does not. */
  async ensureImageDefinition(spec: ImageDefinitionSpec): Promise<ImageDefinition> {
    const { resourceGroup, galleryName } = this.settings.gallery;
    const architecture = galleryArchitecture(spec.arch);
    const hyperVGeneration = hyperVGenerationFor(spec.firmware);
    const name = imageDefinitionName(spec.image, architecture);
    const context: ErrorContext = { gallery: galleryName, definition: name };
    const location = await this.galleryLocation();
    const client = await this.client;
    const existing = await client.galleryImages.get(resourceGroup, galleryName, name).catch((error) => {
      if (isNotFound(error)) return undefined;
      throw galleryError(error, 'get image definition', context);
    });
    const wanted = { osType: 'Linux', osState: 'Generalized', hyperVGeneration, architecture };
    if (existing !== undefined) {
      assertSameIdentity(existing, wanted, context);
      return {
        id: existing.id ?? '',
        name,
        location: existing.location,
        hyperVGeneration,
        architecture,
        created: false,
      };
    }
    const definition: GalleryImage = {
      location,
      osType: 'Linux',
      osState: 'Generalized',
      hyperVGeneration,
      architecture,
      identifier: { publisher: this.settings.publisher, offer: this.settings.offer, sku: name },
      ...(spec.description === undefined ? {} : { description: spec.description }),
    };
    const created = await this.waitFor(
      client.galleryImages.createOrUpdate(resourceGroup, galleryName, name, definition, this.lro()),
      'create image definition',
      context,
    );
    return {
      id: created.id ?? '',
      name,
      location: created.location,
      hyperVGeneration,
      architecture,
      created: true,
    };
  }

  /**
   * Creates image version `version` of `definition` from the VHD page blob, with one replica in the gallery's
   * region and an end-of-life date `endOfLifeDays` from now, and waits until it is provisioned.
   */
  async createImageVersion(spec: ImageVersionSpec): Promise<ImageVersion> {
    assertGalleryVersionName(spec.version);
    const { resourceGroup, galleryName } = this.settings.gallery;
    const context: ErrorContext = {
      gallery: galleryName,
      definition: spec.definition,
      version: spec.version,
    };
    const location = await this.galleryLocation();
    const client = await this.client;
    const existing = await client.galleryImageVersions
      .get(resourceGroup, galleryName, spec.definition, spec.version)
      .catch((error) => {
        if (isNotFound(error)) return undefined;
        throw galleryError(error, 'get image version', context);
      });
    if (existing !== undefined) return existingVersion(existing, spec, context);
    const endOfLifeDate = new Date(this.now() + this.settings.endOfLifeDays * DAY_MS);
    const version: GalleryImageVersion = {
      location,
      publishingProfile: {
        targetRegions: [{ name: location, regionalReplicaCount: 1 }],
        replicaCount: 1,
        excludeFromLatest: spec.preview ?? true,
        endOfLifeDate,
      },
      storageProfile: {
        osDiskImage: { source: { storageAccountId: spec.storageAccountId, uri: spec.blobUrl } },
      },
    };
    const created = await this.waitFor(
      client.galleryImageVersions.createOrUpdate(
        resourceGroup,
        galleryName,
        spec.definition,
        spec.version,
        version,
        this.lro(spec.signal),
      ),
      'create image version',
      context,
    );
    return versionOf(created, true);
  }

  private lro(signal?: AbortSignal): { updateIntervalInMs?: number; abortSignal?: AbortSignal } {
    return {
      ...(this.updateIntervalInMs === undefined ? {} : { updateIntervalInMs: this.updateIntervalInMs }),
      ...(signal === undefined ? {} : { abortSignal: signal }),
    };
  }

  /**
   * Waits for a long-running operation. A terminal `Failed` (from `Azure-AsyncOperation` or the resource's
   * `provisioningState`) is `gallery.provisioning-failed` with ARM's message; any other failure, a failed
   * poll included, is classified as a call's (a poll answered 503 is transient: the operation may still
   * succeed, and the retry finds it by its name).
   */
  private async waitFor<T>(
    poller: PromiseLike<T> & { readonly operationState?: { readonly status: string } | undefined },
    operation: string,
    context: ErrorContext,
  ): Promise<T> {
    try {
      return await poller;
    } catch (error) {
      // The SDK also marks the operation failed when a poll itself fails (a 503, a reset connection): that
      // is a RestError and classified as any call; a terminal `Failed` status is a plain Error.
      const restError = error instanceof Error && error.name === 'RestError';
      if (poller.operationState?.status === 'failed' && !restError) {
        const message = error instanceof Error ? error.message : String(error);
        throw PipelineError.permanent(
          'gallery.provisioning-failed',
          `Compute Gallery ${operation} failed: ${message.replace(/^The long-running operation has failed\.? ?/, '')}`,
          { ...context, operation },
          error,
        );
      }
      throw galleryError(error, operation, context);
    }
  }
}

/** Per ARM request (polls included); the operations themselves take as long as ARM needs. */
const REQUEST_TIMEOUT_MS = 60_000;

/** The adapter from settings, with the managed identity (`AZURE_CLIENT_ID` when user-assigned). */
export function createComputeGallery(
  settings: GallerySettings,
  credential: TokenCredential = createArmCredential(settings.clientId),
): ComputeGallery {
  return new ComputeGallery({ client: computeClient(settings, credential), settings });
}

/**
 * The `@azure/arm-compute` client for the gallery's subscription, with the shared ARM options. The SDK is
 * loaded here, when a gallery adapter is made, not with this module: it was the largest part of the function
 * app's module loading (about a fifth, with `@azure/arm-appcontainers`), in processes that never register an
 * image.
 */
export async function computeClient(
  settings: Pick<GallerySettings, 'gallery' | 'armEndpoint'>,
  credential: TokenCredential,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<ComputeManagementClient> {
  const { ComputeManagementClient } = await import('@azure/arm-compute');
  return new ComputeManagementClient(
    reportTokenFailures(credential),
    settings.gallery.subscriptionId,
    armSdkOptions(settings.armEndpoint, { timeoutMs }),
  );
}

function assertSameIdentity(
  existing: GalleryImage,
  wanted: Readonly<Record<'osType' | 'osState' | 'hyperVGeneration' | 'architecture', string>>,
  context: ErrorContext,
): void {
  // Azure leaves out the defaults: generation V1 and architecture x64.
  const actual: Record<string, string | undefined> = {
    osType: existing.osType,
    osState: existing.osState,
    hyperVGeneration: existing.hyperVGeneration ?? 'V1',
    architecture: existing.architecture ?? 'x64',
  };
  const differences = Object.entries(wanted)
    .filter(([key, value]) => actual[key]?.toLowerCase() !== value.toLowerCase())
    .map(([key, value]) => `${key} ${actual[key] ?? '(none)'} (wanted ${value})`);
  if (differences.length === 0) return;
  throw PipelineError.permanent(
    'gallery.definition-mismatch',
    `the image definition ${String(context.definition)} exists with ${differences.join(', ')}`,
    context,
  );
}

/** An existing version: done when it was made from the same blob, else a conflict (versions are immutable). */
function existingVersion(
  existing: GalleryImageVersion,
  spec: ImageVersionSpec,
  context: ErrorContext,
): ImageVersion {
  const source = existing.storageProfile?.osDiskImage?.source;
  const sameBlob =
    source?.uri === spec.blobUrl &&
    source.storageAccountId?.toLowerCase() === spec.storageAccountId.toLowerCase();
  if (!sameBlob) {
    throw PipelineError.permanent(
      'gallery.conflict',
      `the image version ${spec.definition}/${spec.version} exists from another blob (${source?.uri ?? 'no blob source'})`,
      { ...context, existingSource: source?.uri ?? null },
    );
  }
  const state = existing.provisioningState ?? 'Unknown';
  if (state === 'Succeeded') return versionOf(existing, false);
  if (state === 'Failed') {
    throw PipelineError.permanent(
      'gallery.provisioning-failed',
      `the image version ${spec.definition}/${spec.version} exists from this blob and its provisioning failed`,
      { ...context, provisioningState: state },
    );
  }
  throw PipelineError.transient(
    'gallery.version-pending',
    `the image version ${spec.definition}/${spec.version} exists from this blob and is ${state}`,
    { ...context, provisioningState: state },
  );
}

function versionOf(version: GalleryImageVersion, created: boolean): ImageVersion {
  const endOfLife = version.publishingProfile?.endOfLifeDate;
  return {
    id: version.id ?? '',
    name: version.name ?? '',
    location: version.location,
    provisioningState: version.provisioningState ?? 'Unknown',
    ...(endOfLife === undefined ? {} : { endOfLifeDate: endOfLife.toISOString() }),
    created,
  };
}

import { z } from 'zod';
import type { SettingsReader } from './issues';
import { DEFAULT_ARM_ENDPOINT } from './builder';
import { clientId, serviceUrl } from './shapes';

/**
 * Azure Compute Gallery registration of preview VM images (cloud only). Off unless `AZL_GALLERY_ID` names a
 * gallery; then every published image becomes an image version there, excluded from "latest" and with an
 * end-of-life date `AZL_GALLERY_EOL_DAYS` (default 30) days after it is created, so previews expire.
 * `AZL_GALLERY_PUBLISHER` and `AZL_GALLERY_OFFER` name the image definitions' identifier (the SKU is the
 * definition's name, `<image>-<architecture>`, so identifiers stay unique in the gallery). The ARM endpoint
 * and identity are the ones the Container Apps builder uses (`AZL_ARM_ENDPOINT`, `AZURE_CLIENT_ID`).
 */
export interface GallerySettings {
  readonly gallery: GalleryId;
  readonly endOfLifeDays: number;
  readonly publisher: string;
  readonly offer: string;
  /**
   * `AZL_GALLERY_STORAGE_ACCOUNT_ID`, required with `AZL_GALLERY_ID`: the ARM id of the storage account
   * holding the `images` container (the publishing account), which a gallery version names as its source.
   */
  readonly storageAccountId: string;
  /** ARM's base URL without a trailing slash; its `/.default` is the token scope. */
  readonly armEndpoint: string;
  /** A user-assigned identity's client id; absent uses the system-assigned identity. */
  readonly clientId?: string;
}

/** An Azure Compute Gallery's ARM resource id and its parts. */
export interface GalleryId {
  readonly resourceId: string;
  readonly subscriptionId: string;
  readonly resourceGroup: string;
  readonly galleryName: string;
}

export const DEFAULT_GALLERY_EOL_DAYS = 30;
export const DEFAULT_GALLERY_PUBLISHER = 'azl-rebuilder';
export const DEFAULT_GALLERY_OFFER = 'azurelinux-preview';

const GALLERY_ID = 'AZL_GALLERY_ID';
const EOL_DAYS = 'AZL_GALLERY_EOL_DAYS';
const PUBLISHER = 'AZL_GALLERY_PUBLISHER';
const OFFER = 'AZL_GALLERY_OFFER';
const STORAGE_ACCOUNT_ID = 'AZL_GALLERY_STORAGE_ACCOUNT_ID';

/** `/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>`. */
const storageAccountId = z
  .string()
  .regex(
    /^\/subscriptions\/[0-9a-fA-F-]{36}\/resourceGroups\/[-\w.()]{1,90}\/providers\/Microsoft\.Storage\/storageAccounts\/[a-z0-9]{3,24}$/i,
    'must be a storage account resource id: /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Storage/storageAccounts/<name>',
  );

// Gallery names: letters, digits, dots and underscores, starting and ending with a letter or digit, <= 80.
const GALLERY_ID_PATTERN =
  /^\/subscriptions\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\/resourceGroups\/([-\w.()]{1,90})\/providers\/Microsoft\.Compute\/galleries\/([a-zA-Z0-9](?:[\w.]{0,78}[a-zA-Z0-9])?)$/i;

/** `/subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.Compute/galleries/<name>` (ids ignore case). */
export const galleryId = z.string().transform((text, ctx): GalleryId => {
  const [, subscriptionId, resourceGroup, galleryName] = GALLERY_ID_PATTERN.exec(text) ?? [];
  if (!subscriptionId || !resourceGroup || !galleryName || resourceGroup.endsWith('.')) {
    ctx.addIssue({
      code: 'custom',
      message:
        'must be a gallery resource id: /subscriptions/<subscription id>/resourceGroups/<group>/providers/Microsoft.Compute/galleries/<gallery name>',
    });
    return z.NEVER;
  }
  return { resourceId: text, subscriptionId, resourceGroup, galleryName };
});

const endOfLifeDays = z.coerce
  .number({ error: 'must be a number of days' })
  .int('must be a whole number of days')
  .min(1, 'must be at least 1')
  .max(3_650, 'must be at most 3650 (ten years)');

// Azure's identifier parts: letters, digits, '-', '.', '_'; at most 64 characters.
const identifierPart = z
  .string()
  .regex(/^[a-zA-Z0-9][-\w.]{0,63}$/, { error: 'must be 1-64 letters, digits, -, . or _' });

/** Gallery settings when `AZL_GALLERY_ID` is set; undefined when it is not (or when one is malformed). */
export function resolveGallery(reader: SettingsReader): GallerySettings | undefined {
  const gallery = reader.optional(GALLERY_ID, galleryId);
  const days = reader.optional(EOL_DAYS, endOfLifeDays);
  const publisher = reader.optional(PUBLISHER, identifierPart);
  const offer = reader.optional(OFFER, identifierPart);
  if (reader.present(GALLERY_ID) && !reader.present(STORAGE_ACCOUNT_ID))
    reader.report(STORAGE_ACCOUNT_ID, `missing (required with ${GALLERY_ID})`);
  const account = reader.optional(STORAGE_ACCOUNT_ID, storageAccountId);
  if (gallery === undefined || account === undefined) return undefined;
  // Shared with the builder's settings: a malformed value is reported once, by whichever read it first.
  const shared = <T>(name: string, schema: z.ZodType<T>): T | undefined =>
    reader.hasIssuesFor(name) ? undefined : reader.optional(name, schema);
  const armEndpoint = shared('AZL_ARM_ENDPOINT', serviceUrl) ?? DEFAULT_ARM_ENDPOINT;
  const identity = shared('AZURE_CLIENT_ID', clientId);
  return {
    gallery,
    endOfLifeDays: days ?? DEFAULT_GALLERY_EOL_DAYS,
    publisher: publisher ?? DEFAULT_GALLERY_PUBLISHER,
    offer: offer ?? DEFAULT_GALLERY_OFFER,
    storageAccountId: account,
    armEndpoint,
    ...(identity === undefined ? {} : { clientId: identity }),
  };
}

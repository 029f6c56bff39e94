import { blobStorageConnectionString } from './connection-strings';
import type { SettingsReader } from './issues';
import { clientId, managedIdentityCredential, serviceUrl, storageAccountName } from './shapes';

/**
 * The publishing storage account: the one that holds the anonymously readable containers (the catalogue's
 * entries whose `publicAccess` is not `none`: `repos`), kept apart from the private account so that account
 * can forbid public access altogether. Blobs only: nothing of the pipeline's tables lives there.
 */
export type PublishingStorageSettings =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | { readonly kind: 'identity'; readonly blobUrl: string; readonly clientId?: string };

const NAME = 'AZL_PUBLISHING_STORAGE';
const ACCOUNT = `${NAME}__accountName`;
const BLOB = `${NAME}__blobServiceUri`;
const CREDENTIAL = `${NAME}__credential`;
const CLIENT_ID = `${NAME}__clientId`;

/**
 * Every setting `resolvePublishingStorage` reads. The identity-based ones (all but the first) are what a
 * build execution may be handed; a local run blanks all of them so it never publishes outside its Azurite.
 */
export const PUBLISHING_STORAGE_SETTINGS = [NAME, ACCOUNT, BLOB, CREDENTIAL, CLIENT_ID] as const;

/**
 * Every publishing storage setting blank (blank is absent): spread over an environment, the anonymous
 * containers stay in the main account whatever the shell exported. The local runtime uses it.
 */
export function withoutPublishingStorage(): Record<(typeof PUBLISHING_STORAGE_SETTINGS)[number], ''> {
  return Object.fromEntries(PUBLISHING_STORAGE_SETTINGS.map((name) => [name, ''])) as Record<
    (typeof PUBLISHING_STORAGE_SETTINGS)[number],
    ''
  >;
}

/**
 * The same forms as `AzureWebJobsStorage` (settings/storage.ts), blob service only: a non-empty
 * `AZL_PUBLISHING_STORAGE` is a connection string and wins; otherwise `__accountName` or `__blobServiceUri`
 * (the explicit URI wins) with an optional `__credential` (`managedidentity`) and `__clientId` describe an
 * identity-based connection. None of them set: `undefined`, and publishing uses the main account as it
 * always did (local runs, the demo, tests). `__credential` or `__clientId` alone is a mistake, reported.
 */
export function resolvePublishingStorage(reader: SettingsReader): PublishingStorageSettings | undefined {
  if (reader.present(NAME)) {
    const connectionString = reader.optional(NAME, blobStorageConnectionString);
    return connectionString === undefined ? undefined : { kind: 'connectionString', connectionString };
  }
  if (!PUBLISHING_STORAGE_SETTINGS.some((name) => reader.present(name))) return undefined;
  if (!reader.present(ACCOUNT) && !reader.present(BLOB)) {
    reader.report(NAME, `missing (set ${NAME}, or ${ACCOUNT}, or ${BLOB})`);
  }
  const account = reader.optional(ACCOUNT, storageAccountName);
  const blobUrl =
    reader.optional(BLOB, serviceUrl) ?? (account && `https://${account}.blob.core.windows.net`);
  // `__credential` is validated but not returned, as for AzureWebJobsStorage: a `__clientId` selects the
  // user-assigned identity, and without one the system-assigned identity (or a developer login) is used.
  reader.optional(CREDENTIAL, managedIdentityCredential);
  const identity = reader.optional(CLIENT_ID, clientId);
  if (reader.hasIssuesFor(NAME) || blobUrl === undefined) return undefined;
  return identity === undefined
    ? { kind: 'identity', blobUrl }
    : { kind: 'identity', blobUrl, clientId: identity };
}

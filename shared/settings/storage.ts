import { storageConnectionString } from './connection-strings';
import type { SettingsReader } from './issues';
import { clientId, managedIdentityCredential, serviceUrl, storageAccountName } from './shapes';

/** Host and pipeline storage (blobs and tables), as the Functions host reads `AzureWebJobsStorage`. */
export type StorageSettings =
  | { readonly kind: 'connectionString'; readonly connectionString: string }
  | {
      readonly kind: 'identity';
      readonly blobUrl: string;
      readonly tableUrl: string;
      readonly clientId?: string;
    };

const NAME = 'AzureWebJobsStorage';
const ACCOUNT = `${NAME}__accountName`;
const BLOB = `${NAME}__blobServiceUri`;
const TABLE = `${NAME}__tableServiceUri`;
const CREDENTIAL = `${NAME}__credential`;
const CLIENT_ID = `${NAME}__clientId`;

/**
 * Like the Functions host: a non-empty `AzureWebJobsStorage` is a connection string and wins; otherwise the
 * `__` settings describe an identity-based connection. Explicit service URIs win over ones derived from
 * `__accountName` (public cloud suffixes).
 */
export function resolveStorage(reader: SettingsReader): StorageSettings | undefined {
  if (reader.present(NAME)) {
    const connectionString = reader.optional(NAME, storageConnectionString);
    return connectionString === undefined ? undefined : { kind: 'connectionString', connectionString };
  }
  if (!reader.present(ACCOUNT) && !reader.present(BLOB) && !reader.present(TABLE)) {
    reader.report(NAME, `missing (set ${NAME}, or ${ACCOUNT}, or ${BLOB} and ${TABLE})`);
    return undefined;
  }
  const account = reader.optional(ACCOUNT, storageAccountName);
  const blobUrl =
    reader.optional(BLOB, serviceUrl) ?? (account && `https://${account}.blob.core.windows.net`);
  const tableUrl =
    reader.optional(TABLE, serviceUrl) ?? (account && `https://${account}.table.core.windows.net`);
  if (!reader.present(ACCOUNT)) {
    if (!reader.present(BLOB))
      reader.report(BLOB, `missing (set it together with ${TABLE}, or set ${ACCOUNT})`);
    if (!reader.present(TABLE))
      reader.report(TABLE, `missing (set it together with ${BLOB}, or set ${ACCOUNT})`);
  }
  // `__credential` is validated but not returned: with or without it, a `__clientId` selects the
  // user-assigned identity, and without one the system-assigned identity (or a developer login) is used.
  reader.optional(CREDENTIAL, managedIdentityCredential);
  const identity = reader.optional(CLIENT_ID, clientId);
  if (reader.hasIssuesFor(NAME) || blobUrl === undefined || tableUrl === undefined) return undefined;
  return identity === undefined
    ? { kind: 'identity', blobUrl, tableUrl }
    : { kind: 'identity', blobUrl, tableUrl, clientId: identity };
}

import { TableServiceClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { storageCall } from './storage-errors';

/**
 * One cheap authenticated round trip each to the blob and the table service of a connection string: it
 * proves the endpoints listen, accept the account key and speak the SDK's API version. No SDK retries, so a
 * caller polling for readiness decides the pace. Fails with a classified PipelineError.
 */
export async function probeStorage(
  target: { readonly connectionString: string },
  options: { readonly timeoutMs?: number } = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const blobs = BlobServiceClient.fromConnectionString(target.connectionString, {
    retryOptions: { maxTries: 1, tryTimeoutInMs: timeoutMs },
  });
  const tables = TableServiceClient.fromConnectionString(target.connectionString, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  const place = { account: blobs.accountName };
  await Promise.all([
    storageCall('probe blob service', place, () =>
      blobs.getProperties({ abortSignal: AbortSignal.timeout(timeoutMs) }),
    ),
    storageCall('probe table service', place, () =>
      tables
        .listTables({ abortSignal: AbortSignal.timeout(timeoutMs) })
        .byPage({ maxPageSize: 1 })
        .next(),
    ),
  ]);
}

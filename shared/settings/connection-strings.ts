import { z } from 'zod';
import { clientId, parseConnectionString, serviceUrl } from './shapes';

/**
 * Connection-string shapes, checked only as far as needed to fail at startup instead of at the first
 * request. The value is returned unchanged (the SDKs parse it again); messages never echo it.
 */

type Pairs = Map<string, string>;

function connectionString(check: (pairs: Pairs) => string | undefined) {
  return z.string().superRefine((text, ctx) => {
    const pairs = parseConnectionString(text);
    const problem = pairs
      ? check(pairs)
      : 'is not a connection string (expected Key=Value pairs separated by ";")';
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
}

const urlProblem = (pairs: Pairs, key: string, label: string): string | undefined => {
  const value = pairs.get(key.toLowerCase());
  if (value === undefined) return undefined;
  const parsed = serviceUrl.safeParse(value);
  return parsed.success ? undefined : `${label} ${parsed.error.issues[0]?.message ?? 'is malformed'}`;
};

/**
 * Storage for blobs and tables: `UseDevelopmentStorage=true` (Azurite), an account with a key or SAS, or
 * explicit blob and table endpoints with a SAS.
 */
export const storageConnectionString = connectionString((pairs) => {
  const has = (key: string): boolean => (pairs.get(key) ?? '') !== '';
  const endpointProblem =
    urlProblem(pairs, 'BlobEndpoint', 'BlobEndpoint') ?? urlProblem(pairs, 'TableEndpoint', 'TableEndpoint');
  if (endpointProblem) return endpointProblem;
  if (pairs.get('usedevelopmentstorage')?.toLowerCase() === 'true') return undefined;
  if (has('accountname') && (has('accountkey') || has('sharedaccesssignature'))) return undefined;
  if (has('sharedaccesssignature') && has('blobendpoint') && has('tableendpoint')) return undefined;
  return 'is not a usable storage connection string (expected UseDevelopmentStorage=true, AccountName with AccountKey or SharedAccessSignature, or BlobEndpoint and TableEndpoint with SharedAccessSignature)';
});

/** Mirrors what @azure/service-bus accepts: an sb:// endpoint and at most one consistent kind of key. */
export const serviceBusConnectionString = connectionString((pairs) => {
  const endpoint = pairs.get('endpoint');
  if (!endpoint) return 'has no Endpoint (expected Endpoint=sb://<namespace>.servicebus.windows.net/;...)';
  if (!/^sb:\/\/[a-z0-9.-]+(:\d{1,5})?\/?$/i.test(endpoint)) {
    return 'has a malformed Endpoint (expected sb://<host>[:port]/)';
  }
  const keyName = pairs.has('sharedaccesskeyname');
  const key = pairs.has('sharedaccesskey');
  if (pairs.has('sharedaccesssignature') && (keyName || key)) {
    return 'must not have both SharedAccessSignature and SharedAccessKey/SharedAccessKeyName';
  }
  if (keyName !== key) return 'must have SharedAccessKeyName and SharedAccessKey together';
  return undefined;
});

/** Application Insights: an instrumentation key and, when given, an https ingestion endpoint. */
export const applicationInsightsConnectionString = connectionString((pairs) => {
  const key = pairs.get('instrumentationkey');
  if (key === undefined || !clientId.safeParse(key).success) {
    return 'has no valid InstrumentationKey (expected InstrumentationKey=<GUID>;IngestionEndpoint=https://...)';
  }
  return urlProblem(pairs, 'IngestionEndpoint', 'IngestionEndpoint');
});

/**
 * Storage for blobs only (the publishing account): `UseDevelopmentStorage=true`, an account with a key or
 * SAS, or an explicit blob endpoint with a SAS; no table endpoint is needed.
 */
export const blobStorageConnectionString = connectionString((pairs) => {
  const has = (key: string): boolean => (pairs.get(key) ?? '') !== '';
  const endpointProblem = urlProblem(pairs, 'BlobEndpoint', 'BlobEndpoint');
  if (endpointProblem) return endpointProblem;
  if (pairs.get('usedevelopmentstorage')?.toLowerCase() === 'true') return undefined;
  if (has('accountname') && (has('accountkey') || has('sharedaccesssignature'))) return undefined;
  if (has('sharedaccesssignature') && has('blobendpoint')) return undefined;
  return 'is not a usable blob storage connection string (expected UseDevelopmentStorage=true, AccountName with AccountKey or SharedAccessSignature, or BlobEndpoint with SharedAccessSignature)';
});

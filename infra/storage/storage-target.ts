import type { TokenCredential } from '@azure/core-auth';
import { DefaultAzureCredential } from '@azure/identity';

/**
 * Where a store talks to. Locally and in tests that is a connection string (Azurite's well-known account); in
 * Azure it is the service URL (`https://<account>.blob.core.windows.net`, `https://<account>.table.core.windows.net`)
 * plus a token credential, normally the Function app's managed identity via `DefaultAzureCredential`.
 */
export type StorageTarget =
  { readonly connectionString: string } | { readonly url: string; readonly credential?: TokenCredential };

/** Retry and timeout knobs shared by both adapters; each is mapped onto its SDK's own options. */
export interface StorageClientOptions {
  /** Attempts per operation including the first; default 4 (the SDK default). 1 means "no SDK retries". */
  readonly maxTries?: number;
  /**
   * Tables: the client's limit for one attempt in ms, until the response headers (default 60 s; the Table
   * service's own limit is 30 s), after which the operation fails as `storage.unavailable` (the SDK does not
   * retry an attempt it aborted). Blobs: the limit the service applies to one attempt (its `timeout`
   * parameter; default: the service's own).
   */
  readonly tryTimeoutMs?: number;
  /**
   * Blobs: the client's limit for one whole operation in ms, retries included (default 5 min; whole objects
   * are tens of MiB), for a listing one page, for a copy the copy and its status reads. The blob SDK has no
   * client-side limit per attempt.
   *
   * Both client limits exist because a connection that is accepted and never answered would otherwise hold
   * the caller, and the message it handles, until the function times out.
   */
  readonly operationTimeoutMs?: number;
  /** Blobs per listing request; default the service's (5,000). */
  readonly listPageSize?: number;
  /** First back-off delay in ms; default is the SDK's (seconds). Tests lower it. */
  readonly retryDelayMs?: number;
}

export const DEFAULT_TABLE_TRY_TIMEOUT_MS = 60_000;
export const DEFAULT_BLOB_OPERATION_TIMEOUT_MS = 300_000;

let sharedCredential: TokenCredential | undefined;

/** One `DefaultAzureCredential` per process, so token caches are shared between stores. */
export function defaultCredential(): TokenCredential {
  return (sharedCredential ??= new DefaultAzureCredential());
}

export function credentialOf(target: { readonly credential?: TokenCredential }): TokenCredential {
  return target.credential ?? defaultCredential();
}

/**
 * The account name for error context: the first path segment for emulator-style URLs
 * (`http://127.0.0.1:10000/devstoreaccount1`), the first host label otherwise.
 */
export function accountNameFromUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const isIpOrLocal = /^[\d.]+$|^localhost$|^\[/.test(parsed.hostname);
    if (isIpOrLocal) return parsed.pathname.split('/').find((part) => part !== '') ?? parsed.hostname;
    return parsed.hostname.split('.')[0] ?? parsed.hostname;
  } catch {
    return 'unknown';
  }
}

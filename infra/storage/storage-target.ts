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
  /** Limit for a single attempt in ms; default: none (the service's own timeout applies). */
  readonly tryTimeoutMs?: number;
  /** First back-off delay in ms; default is the SDK's (seconds). Tests lower it. */
  readonly retryDelayMs?: number;
}

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

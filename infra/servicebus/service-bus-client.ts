import { DefaultAzureCredential } from '@azure/identity';
import { RetryMode, ServiceBusClient } from '@azure/service-bus';
import type { TokenCredential } from '@azure/service-bus';
import type { ServiceBusSettings } from '../../shared/settings/load-settings';

/**
 * The one way the pipeline gets a ServiceBusClient. A client is one AMQP connection shared by every sender and
 * receiver made from it, so a process creates one and closes it at shutdown. Construction never touches the
 * network: the connection (and, on the identity path, the first token) is made on first use.
 */
export interface ServiceBusClientOptions {
  /** Retries after the first attempt, for failures the SDK deems retryable; default 3. */
  readonly maxRetries?: number;
  /** First back-off in ms, doubling per retry up to `maxRetryDelayMs`; defaults 1000 and 30000. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /**
   * Limit of one attempt in ms, default 60000. It is also how long `acceptNextSession` waits for a session
   * when called without `waitMs` (the SDK long-polls for that long).
   */
  readonly timeoutMs?: number;
  /** Replaces DefaultAzureCredential on the identity path (a shared credential, or a test double). */
  readonly credential?: TokenCredential;
}

export const defaultRetry = {
  maxRetries: 3,
  retryDelayMs: 1_000,
  maxRetryDelayMs: 30_000,
  timeoutMs: 60_000,
} as const;

/**
 * From `ServiceBusSettings`: a connection string (the local broker, or a namespace's SAS key), or the namespace
 * host plus DefaultAzureCredential, which in Azure resolves to the Function app's managed identity: the
 * user-assigned one named by `clientId`, else the system-assigned one (or a developer login locally).
 */
export function createServiceBusClient(
  settings: ServiceBusSettings,
  options: ServiceBusClientOptions = {},
): ServiceBusClient {
  const clientOptions = {
    retryOptions: {
      // Exponential rather than the SDK's fixed 30 s: a busy or restarting namespace recovers in seconds,
      // and a Functions invocation cannot afford three 30-second pauses.
      mode: RetryMode.Exponential,
      maxRetries: options.maxRetries ?? defaultRetry.maxRetries,
      retryDelayInMs: options.retryDelayMs ?? defaultRetry.retryDelayMs,
      maxRetryDelayInMs: options.maxRetryDelayMs ?? defaultRetry.maxRetryDelayMs,
      timeoutInMs: options.timeoutMs ?? defaultRetry.timeoutMs,
    },
  };
  if (settings.kind === 'connectionString') {
    return new ServiceBusClient(settings.connectionString, clientOptions);
  }
  const credential =
    options.credential ??
    new DefaultAzureCredential(
      settings.clientId === undefined ? {} : { managedIdentityClientId: settings.clientId },
    );
  return new ServiceBusClient(settings.fullyQualifiedNamespace, credential, clientOptions);
}

/**
 * Closes the client and with it every sender and receiver made from it (their locks are released by the
 * service as they expire). Best effort and safe in `finally` blocks and shutdown hooks: accepts `undefined`,
 * a closed client, and never throws, since a failure to close is nothing a caller can act on.
 */
export async function closeServiceBusClient(client: ServiceBusClient | undefined): Promise<void> {
  try {
    await client?.close();
  } catch {
    // The connection is gone either way.
  }
}

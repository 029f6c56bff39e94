import type { ContainerAppsAPIClient } from '@azure/arm-appcontainers';
import type { TokenCredential } from '@azure/core-auth';
import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { armSdkOptions, reportTokenFailures } from '../../arm/sdk-options';
import { parseRetryAfter } from '../../fedora/retry-policy';

/**
 * The `@azure/arm-appcontainers` client the dispatcher calls, pinned to the Microsoft.App API version the
 * adapter was written against (`CONTAINER_APPS_API_VERSION`, not the SDK's newest), with the shared ARM
 * options (infra/arm/sdk-options.ts: endpoint and scope, no SDK retries, the same-origin token guard, a time
 * limit per request).
 *
 * The SDK is loaded at the first call (`api()`), not with this module: the composition root builds a dispatcher
 * for every process that may dispatch, and `@azure/arm-appcontainers` took about a fifth of the function app's
 * module loading (with `@azure/arm-compute`, see infra/images/compute-gallery.ts) in processes that mostly never
 * call ARM: the local runtime, the CLI, the container that builds.
 *
 * It also remembers the `Retry-After` of each answer that names a `Location` to follow, by that Location:
 * the SDK's poller reads it but does not expose it, and the dispatcher waits between polls itself (with its
 * injectable sleep) so that waiting stays testable and bounded.
 */
export const CONTAINER_APPS_API_VERSION = '2025-07-01';

export interface JobsClientOptions {
  /** `https://management.azure.com`, or a sovereign cloud's. */
  readonly endpoint: string;
  readonly credential: TokenCredential;
  readonly subscriptionId: string;
  /** Per request, polls included; default 30 s. */
  readonly timeoutMs?: number;
}

const REMEMBERED_LOCATIONS = 256;

export class JobsClient {
  /** The token scope, `<endpoint>/.default`. */
  readonly scope: string;
  readonly timeoutMs: number;
  private readonly retryAfterByLocation = new Map<string, number>();
  private readonly sdkOptions: ReturnType<typeof armSdkOptions>;
  private client: Promise<ContainerAppsAPIClient> | undefined;

  constructor(private readonly options: JobsClientOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sdkOptions = armSdkOptions(options.endpoint, { timeoutMs: this.timeoutMs });
    this.scope = this.sdkOptions.credentials.scopes[0] ?? '';
  }

  /** The SDK's client, made (and the SDK loaded) at the first call. */
  api(): Promise<ContainerAppsAPIClient> {
    this.client ??= import('@azure/arm-appcontainers').then(
      ({ ContainerAppsAPIClient }) =>
        new ContainerAppsAPIClient(
          reportTokenFailures(this.options.credential),
          this.options.subscriptionId,
          {
            ...this.sdkOptions,
            apiVersion: CONTAINER_APPS_API_VERSION,
            additionalPolicies: [
              ...this.sdkOptions.additionalPolicies,
              { policy: this.rememberRetryAfter(), position: 'perCall' },
            ],
          },
        ),
    );
    return this.client;
  }

  /** The `Retry-After` (ms) of the latest answer that named `location`, forgotten once read. */
  takeRetryAfter(location: string): number | undefined {
    const delayMs = this.retryAfterByLocation.get(location);
    this.retryAfterByLocation.delete(location);
    return delayMs;
  }

  private rememberRetryAfter(): PipelinePolicy {
    return {
      name: 'azlRememberRetryAfter',
      sendRequest: async (request, next) => {
        const response = await next(request);
        const location = response.headers.get('location');
        const delayMs = parseRetryAfter(response.headers.get('retry-after') ?? null, Date.now());
        if (location !== undefined && delayMs !== undefined) {
          this.retryAfterByLocation.delete(location);
          this.retryAfterByLocation.set(location, delayMs);
          // Operations abandoned before they were followed leave entries behind: keep the newest few.
          for (const oldest of this.retryAfterByLocation.keys()) {
            if (this.retryAfterByLocation.size <= REMEMBERED_LOCATIONS) break;
            this.retryAfterByLocation.delete(oldest);
          }
        }
        return response;
      },
    };
  }
}

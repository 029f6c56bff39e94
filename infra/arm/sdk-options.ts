import type { PipelinePolicy } from '@azure/core-rest-pipeline';

/**
 * The options every ARM SDK client of the pipeline (`@azure/arm-compute`, `@azure/arm-appcontainers`) is
 * built with, so they behave alike:
 *
 * - `endpoint` and the token scope `<endpoint>/.default`, for sovereign clouds (`AZL_ARM_ENDPOINT`).
 * - No retries inside the SDK (`maxRetries: 0`): whether a call may be repeated is the caller's decision (a
 *   job start after a 5xx may have started an execution), and a transient failure is a transient
 *   PipelineError that the message's scheduled retry repeats.
 * - The bearer token goes to the ARM endpoint only: a long-running operation's `Location` or
 *   `Azure-AsyncOperation` elsewhere is refused before the token policy signs it (`ArmOriginRefused`).
 */
export interface ArmSdkOptions {
  readonly endpoint: string;
  readonly credentials: { readonly scopes: string[] };
  readonly retryOptions: { readonly maxRetries: number };
  readonly additionalPolicies: { policy: PipelinePolicy; position: 'perCall' }[];
}

/** Thrown (before anything is sent) for a request outside the ARM endpoint's origin. */
export class ArmOriginRefused extends Error {
  override readonly name = 'ArmOriginRefused';
  constructor(
    readonly url: string,
    readonly origin: string,
  ) {
    super(`a URL outside ${origin}: ${url.slice(0, 200)}`);
  }
}

export function armSdkOptions(endpoint: string): ArmSdkOptions {
  const base = endpoint.replace(/\/+$/, '');
  return {
    endpoint: base,
    credentials: { scopes: [`${base}/.default`] },
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [{ policy: sameOriginPolicy(new URL(base).origin), position: 'perCall' }],
  };
}

function sameOriginPolicy(origin: string): PipelinePolicy {
  return {
    name: 'azlArmSameOrigin',
    sendRequest: (request, next) => {
      let requestOrigin: string | undefined;
      try {
        requestOrigin = new URL(request.url).origin;
      } catch {
        requestOrigin = undefined;
      }
      if (requestOrigin !== origin) return Promise.reject(new ArmOriginRefused(request.url, origin));
      return next(request);
    },
  };
}

import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
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
 * - `timeoutMs`, when given, limits every request, polls of long-running operations included
 *   (`ArmRequestTimeout`).
 */
export interface ArmSdkOptions {
  readonly endpoint: string;
  readonly credentials: { readonly scopes: string[] };
  readonly retryOptions: { readonly maxRetries: number };
  readonly additionalPolicies: { policy: PipelinePolicy; position: 'perCall' }[];
}

/** Thrown by a credential wrapped with `reportTokenFailures` when it gives no token. */
export class ArmTokenUnavailable extends Error {
  override readonly name = 'ArmTokenUnavailable';
}

/**
 * The credential with its failures marked, so an adapter tells "no token" (the identity endpoint, often
 * briefly unavailable while an instance starts) from a failed request, which the SDK reports alike.
 */
export function reportTokenFailures(credential: TokenCredential): TokenCredential {
  return {
    getToken: async (scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> => {
      let token: AccessToken | null;
      try {
        token = await credential.getToken(scopes, options);
      } catch (error) {
        throw new ArmTokenUnavailable(error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
      if (!token?.token) throw new ArmTokenUnavailable('the credential returned no token');
      return token;
    },
  };
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

export function armSdkOptions(endpoint: string, limits: { readonly timeoutMs?: number } = {}): ArmSdkOptions {
  const base = endpoint.replace(/\/+$/, '');
  const { timeoutMs } = limits;
  return {
    endpoint: base,
    credentials: { scopes: [`${base}/.default`] },
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [
      { policy: sameOriginPolicy(new URL(base).origin), position: 'perCall' },
      ...(timeoutMs === undefined
        ? []
        : [{ policy: timeoutPolicy(timeoutMs), position: 'perCall' as const }]),
    ],
  };
}

/** Thrown when a request got no answer within `armSdkOptions`' `timeoutMs`. */
export class ArmRequestTimeout extends Error {
  override readonly name = 'ArmRequestTimeout';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

/**
 * Aborts a request that has no answer after `timeoutMs` and says so with `ArmRequestTimeout`: the SDK's own
 * `timeout` rejects like any abort or reset connection, which would leave a timeout indistinguishable.
 */
function timeoutPolicy(timeoutMs: number): PipelinePolicy {
  return {
    name: 'azlArmTimeout',
    sendRequest: async (request, next) => {
      const controller = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
      const callerSignal = request.abortSignal;
      request.abortSignal = callerSignal
        ? AbortSignal.any([controller.signal, callerSignal as AbortSignal])
        : controller.signal;
      try {
        return await next(request);
      } catch (error) {
        if (timedOut) throw new ArmRequestTimeout(timeoutMs);
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
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

import { z } from 'zod';
import { PipelineError } from '../errors';

/**
 * `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`: how telemetry authenticates to Application Insights when the
 * component refuses the instrumentation key alone (`DisableLocalAuth`). The Functions host reads the same app
 * setting for its own telemetry, so the app and the host authenticate as the same identity.
 */
export const APPLICATIONINSIGHTS_AUTHENTICATION_STRING = 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING';

/** Entra (AAD) authentication with a managed identity: user-assigned when a client id is given. */
export interface AppInsightsAuthentication {
  /** The client id of a user-assigned managed identity; absent: the system-assigned identity. */
  readonly clientId?: string;
}

const clientId = z.guid();

/**
 * Parses `Authorization=AAD` or `Authorization=AAD;ClientId=<GUID>`, the forms the Functions host and the
 * Azure Monitor distro understand. As they do, keys are case-insensitive, `AAD` is matched exactly, blanks
 * around keys and values and empty segments are ignored. Stricter than the host on purpose: an unknown or
 * repeated key, any other authorization, or a client id that is not a GUID throws `settings.invalid` naming
 * the setting — a typo here would otherwise turn into rejected ingestion (401/403) and silently lost
 * telemetry. Messages never echo the value.
 */
export function parseAuthenticationString(text: string): AppInsightsAuthentication {
  const pairs = new Map<string, string>();
  for (const segment of text.split(';')) {
    if (segment.trim() === '') continue;
    const at = segment.indexOf('=');
    const key = at < 0 ? '' : segment.slice(0, at).trim().toLowerCase();
    if (key === '') {
      throw invalid('is not Key=Value pairs separated by ";" (expected Authorization=AAD;ClientId=<GUID>)');
    }
    if (key !== 'authorization' && key !== 'clientid') {
      throw invalid('has a key other than Authorization and ClientId');
    }
    if (pairs.has(key)) throw invalid(`names ${key === 'clientid' ? 'ClientId' : 'Authorization'} twice`);
    pairs.set(key, segment.slice(at + 1).trim());
  }
  const authorization = pairs.get('authorization');
  if (authorization === undefined) throw invalid('has no Authorization (expected Authorization=AAD)');
  if (authorization !== 'AAD') {
    throw invalid('must say Authorization=AAD (Entra authentication is the only kind supported)');
  }
  const id = pairs.get('clientid');
  if (id === undefined) return {};
  if (!clientId.safeParse(id).success) {
    throw invalid('has a ClientId that is not a GUID (the client id of a user-assigned managed identity)');
  }
  return { clientId: id };
}

function invalid(problem: string): PipelineError {
  return PipelineError.permanent(
    'settings.invalid',
    `invalid app settings: ${APPLICATIONINSIGHTS_AUTHENTICATION_STRING}: ${problem}`,
    { component: 'telemetry', settings: APPLICATIONINSIGHTS_AUTHENTICATION_STRING },
  );
}

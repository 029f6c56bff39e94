import type { TokenCredential } from '@azure/core-auth';
import type * as Identity from '@azure/identity';
import type { AppInsightsAuthentication } from '../../shared/telemetry/authentication-string';

/**
 * The credential Application Insights export authenticates with (the exporter asks it for Azure Monitor
 * tokens; the identity needs the *Monitoring Metrics Publisher* role on the component).
 *
 * A `ManagedIdentityCredential`, not the `DefaultAzureCredential` the storage and ARM clients use, because
 * that is what `APPLICATIONINSIGHTS_AUTHENTICATION_STRING` means to the Functions host and to the distro's own
 * live-metrics fallback: with it all three send as the same identity. `DefaultAzureCredential` would also
 * differ where it matters: for `Authorization=AAD` (the system-assigned identity) it takes the user-assigned
 * identity named by `AZURE_CLIENT_ID` when that is set, and on a developer machine it falls back to CLI logins.
 *
 * `@azure/identity` is required here, on first use, so that bootstrap loads nothing heavy while export is off.
 */
export function managedIdentityCredential(authentication: AppInsightsAuthentication): TokenCredential {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy by design (see above)
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof Identity;
  return authentication.clientId === undefined
    ? new ManagedIdentityCredential()
    : new ManagedIdentityCredential({ clientId: authentication.clientId });
}

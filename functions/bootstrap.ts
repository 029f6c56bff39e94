/**
 * Loaded first by `functions/index.ts`: Application Insights export must be switched on before the modules
 * whose calls it traces are loaded. It stays off (and nothing heavy loads) without a connection string. With
 * an authentication string (the Azure deployment, whose component refuses the instrumentation key alone) it
 * authenticates as the managed identity the string names; a malformed one stops the app at startup.
 *
 * Beside the host's own telemetry: the Functions host (default telemetry mode, host.json) records one request
 * per invocation and passes its context as `context.traceContext`; the app's invocation span is then an
 * INTERNAL child of it (see `serviceBusFunction`), so the app exports dependencies, metrics and custom events
 * but never a second request. `"telemetryMode": "OpenTelemetry"` would work the same way; it is left off while
 * it is a preview (README "Telemetry").
 */
import { APPLICATIONINSIGHTS_AUTHENTICATION_STRING } from '../shared/telemetry/authentication-string';
import { createJsonLogger } from '../infra/telemetry/logger';
import { startTelemetry } from '../infra/telemetry/start';

const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
const authenticationString = process.env[APPLICATIONINSIGHTS_AUTHENTICATION_STRING]?.trim();
startTelemetry({
  logger: createJsonLogger(),
  ...(connectionString ? { applicationInsightsConnectionString: connectionString } : {}),
  ...(authenticationString ? { applicationInsightsAuthenticationString: authenticationString } : {}),
});

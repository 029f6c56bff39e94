/**
 * Loaded first by `functions/index.ts`: Application Insights export must be switched on before the modules
 * whose calls it traces are loaded. It stays off (and nothing heavy loads) without a connection string. With
 * an authentication string (the Azure deployment, whose component refuses the instrumentation key alone) it
 * authenticates as the managed identity the string names; a malformed one stops the app at startup.
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

/**
 * Loaded first by `functions/index.ts`: Application Insights export must be switched on before the modules
 * whose calls it traces are loaded. It stays off (and nothing heavy loads) without a connection string.
 */
import { createJsonLogger } from '../infra/telemetry/logger';
import { startTelemetry } from '../infra/telemetry/start';

const connectionString = process.env.APPLICATIONINSIGHTS_CONNECTION_STRING?.trim();
startTelemetry({
  logger: createJsonLogger(),
  ...(connectionString ? { applicationInsightsConnectionString: connectionString } : {}),
});

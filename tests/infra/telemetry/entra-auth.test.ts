import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTelemetry, withSpan } from '../../../infra/telemetry';
import { silentLogger } from '../../../shared/logger';
import { useLoopbackServer } from '../../../testing/loopback-http';
import { acceptingIngestionClient } from '../../../testing/telemetry/accepting-ingestion-client';

/**
 * Entra authentication end to end, without Azure: the real distro and exporter, the real default credential
 * (a ManagedIdentityCredential), a stand-in for the managed identity endpoint the Functions platform provides
 * (`IDENTITY_ENDPOINT` and `IDENTITY_HEADER`, as on App Service and Flex Consumption) and a fake HTTP client in
 * place of the ingestion endpoint (`acceptingIngestionClient`), which records the Authorization header of each
 * request it receives.
 */
const CLIENT_ID = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
const TOKEN = 'token-from-the-identity-endpoint';
const IDENTITY_HEADER = 'identity-header-secret';

const tokenRequests: Array<{ url: URL; identityHeader: string | undefined }> = [];
const identityEndpoint = useLoopbackServer((request, response) => {
  const header = request.headers['x-identity-header'];
  tokenRequests.push({
    url: new URL(request.url ?? '/', 'http://127.0.0.1'),
    identityHeader: typeof header === 'string' ? header : undefined,
  });
  response.setHeader('content-type', 'application/json');
  response.end(
    JSON.stringify({
      access_token: TOKEN,
      expires_on: String(Math.floor(Date.now() / 1000) + 3600),
      resource: 'https://monitor.azure.com',
      token_type: 'Bearer',
    }),
  );
});

const { httpClient, requests: ingestion } = acceptingIngestionClient();

afterEach(() => {
  tokenRequests.length = 0;
  ingestion.length = 0;
  vi.unstubAllEnvs();
});

/** Starts export with this authentication string, records one span and shuts down (which flushes). */
async function exportOneSpan(authenticationString: string): Promise<void> {
  vi.stubEnv('APPLICATION_INSIGHTS_NO_STATSBEAT', 'true');
  vi.stubEnv('IDENTITY_ENDPOINT', `${identityEndpoint.origin}/msi/token`);
  vi.stubEnv('IDENTITY_HEADER', IDENTITY_HEADER);
  const telemetry = startTelemetry({
    applicationInsightsConnectionString:
      'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://ingestion.test/',
    applicationInsightsAuthenticationString: authenticationString,
    logger: silentLogger,
    azureMonitor: {
      azureMonitorExporterOptions: { disableOfflineStorage: true, httpClient },
      samplingRatio: 1,
      tracesPerSecond: 0,
      enableLiveMetrics: false,
      enableStandardMetrics: false,
      enablePerformanceCounters: false,
    },
  });
  try {
    await withSpan('publish repo', { 'azl.repo': 'base' }, () => 'ok');
  } finally {
    await telemetry.shutdown();
  }
}

/** Every ingestion request carried the identity endpoint's token, and something was sent. */
function expectBearerOnEveryIngestionRequest(): void {
  expect(ingestion.length).toBeGreaterThan(0);
  expect(ingestion.every((request) => request.url.startsWith('https://ingestion.test/'))).toBe(true);
  expect(ingestion.map((request) => request.authorization)).toEqual(ingestion.map(() => `Bearer ${TOKEN}`));
}

describe('Application Insights export with APPLICATIONINSIGHTS_AUTHENTICATION_STRING', () => {
  it('authenticates every ingestion request as the user-assigned identity named by ClientId', async () => {
    await exportOneSpan(`Authorization=AAD;ClientId=${CLIENT_ID}`);
    expectBearerOnEveryIngestionRequest();
    // The token came from the platform's identity endpoint, for that identity and for Azure Monitor.
    expect(tokenRequests.length).toBeGreaterThan(0);
    for (const { url, identityHeader } of tokenRequests) {
      expect(url.pathname).toBe('/msi/token');
      expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
      expect(url.searchParams.get('resource')).toBe('https://monitor.azure.com');
      expect(identityHeader).toBe(IDENTITY_HEADER);
    }
  });

  it('authenticates as the system-assigned identity for Authorization=AAD alone', async () => {
    // Even when AZURE_CLIENT_ID names another identity (DefaultAzureCredential would take that one).
    vi.stubEnv('AZURE_CLIENT_ID', '11111111-2222-3333-4444-555555555555');
    await exportOneSpan('Authorization=AAD');
    expectBearerOnEveryIngestionRequest();
    expect(tokenRequests.length).toBeGreaterThan(0);
    for (const { url } of tokenRequests) {
      expect(url.searchParams.has('client_id')).toBe(false);
      expect(url.searchParams.get('resource')).toBe('https://monitor.azure.com');
    }
  });
});

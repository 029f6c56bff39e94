import type { AzureMonitorOptions } from './distro';
import { requireFromDistro } from './distro';
import type { ExportWarner } from './export-warnings';

export type ExporterHttpClient = NonNullable<
  NonNullable<AzureMonitorOptions['azureMonitorExporterOptions']>['httpClient']
>;

/**
 * The HTTP client the exporters post to the ingestion endpoint with, watched: an answer other than 200/206
 * (throttling 429, 503, a refused key) or a failure to get one (refused connection, TLS error, timeout) is
 * reported to `warner`, then returned or thrown unchanged, so the exporter retries, parks or drops as it
 * would. Needed because with offline storage off the exporter drops throttled telemetry without a word.
 * `base` defaults to the Azure SDK's own client (the distro's copy of `@azure/core-rest-pipeline`).
 */
export function reportingHttpClient(warner: ExportWarner, base?: ExporterHttpClient): ExporterHttpClient {
  const client = base ?? defaultHttpClient();
  return {
    sendRequest: async (request) => {
      let response: Awaited<ReturnType<ExporterHttpClient['sendRequest']>>;
      try {
        response = await client.sendRequest(request);
      } catch (error) {
        warner.report(`${pathOf(request.url)}: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      }
      if (response.status !== 200 && response.status !== 206) {
        warner.report(`${pathOf(request.url)}: the ingestion endpoint answered ${response.status}`);
      }
      return response;
    },
  };
}

/** Host and path only: an ingestion URL carries no secret, but a query never belongs in a log line. */
function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.host}${parsed.pathname}`;
  } catch {
    return 'ingestion';
  }
}

function defaultHttpClient(): ExporterHttpClient {
  const pipeline = requireFromDistro('@azure/core-rest-pipeline') as {
    createDefaultHttpClient(): ExporterHttpClient;
  };
  return pipeline.createDefaultHttpClient();
}

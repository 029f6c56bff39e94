import type { Envelope } from './fake-ingestion';

/** One ingestion request as the fake client received it. */
export interface IngestionRequest {
  readonly url: string;
  readonly authorization: string | undefined;
  readonly envelopes: readonly Envelope[];
}

/**
 * An HTTP client for the Azure Monitor exporter (`azureMonitorExporterOptions.httpClient`) that answers like
 * the ingestion endpoint, every item accepted, and keeps each request: its URL, its Authorization header and
 * its envelopes. For tests that run the exporter in process without a network; `startFakeIngestion` is the
 * HTTPS endpoint for a pipeline running as its own process.
 */
export function acceptingIngestionClient(): {
  readonly httpClient: never;
  readonly requests: IngestionRequest[];
  readonly envelopes: () => Envelope[];
} {
  const requests: IngestionRequest[] = [];
  const httpClient = {
    async sendRequest(request: {
      url: string;
      body?: unknown;
      headers: { get(name: string): string | undefined };
    }) {
      const envelopes = JSON.parse(String(request.body)) as Envelope[];
      requests.push({ url: request.url, authorization: request.headers.get('authorization'), envelopes });
      return Promise.resolve({
        request,
        status: 200,
        headers: { get: () => undefined, has: () => false, toJSON: () => ({}) },
        bodyAsText: JSON.stringify({
          itemsReceived: envelopes.length,
          itemsAccepted: envelopes.length,
          errors: [],
        }),
      });
    },
  };
  return {
    // The exporter's HttpClient type comes from @azure/core-rest-pipeline, which the tests do not import.
    httpClient: httpClient as never,
    requests,
    envelopes: () => requests.flatMap((r) => r.envelopes),
  };
}

import { createServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { makeTestPki } from '../rabbitmq/pki';

/**
 * A fake Application Insights ingestion endpoint: HTTPS (the exporter insists on TLS, whatever the connection
 * string says) with a certificate from a test CA, which the client trusts through `NODE_EXTRA_CA_CERTS`
 * (`caFile`) rather than by switching verification off. It keeps every envelope posted to `/v2.1/track` and
 * the raw request text (to look for secrets), and answers as the real endpoint does: every item accepted, or,
 * while `refuse` is set, 503 (throttled/unavailable) to everything.
 */
export interface Envelope {
  readonly name: string;
  readonly time: string;
  readonly iKey?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly data: {
    readonly baseType: string;
    readonly baseData: {
      readonly id?: string;
      readonly name?: string;
      readonly success?: boolean;
      readonly properties?: Readonly<Record<string, string>>;
      readonly metrics?: readonly {
        readonly name: string;
        readonly value: number;
        readonly count?: number;
      }[];
      readonly exceptions?: readonly { readonly typeName: string; readonly message: string }[];
      readonly [key: string]: unknown;
    };
  };
}

export interface FakeIngestion {
  readonly url: string;
  /** `InstrumentationKey=<zero guid>;IngestionEndpoint=<url>` */
  readonly connectionString: string;
  /** The CA the endpoint's certificate is signed by, for `NODE_EXTRA_CA_CERTS`. */
  readonly caFile: string;
  readonly envelopes: Envelope[];
  /** Every request body as text (decompressed), with its headers, for the no-secret check. */
  readonly requests: { readonly path: string; readonly headers: string; readonly body: string }[];
  /** While true, every request is answered 503. */
  refuse: boolean;
  close(): Promise<void>;
}

export async function startFakeIngestion(pkiDir: string): Promise<FakeIngestion> {
  const pki = makeTestPki(pkiDir);
  const state = { refuse: false };
  const envelopes: Envelope[] = [];
  const requests: FakeIngestion['requests'][number][] = [];
  const server: Server = createServer(
    { cert: readFileSync(pki.server.certFile), key: readFileSync(pki.server.keyFile) },
    (request, response) => void receive(request, response),
  );
  const receive = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    let raw = Buffer.concat(chunks);
    if (request.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
    const body = raw.toString('utf8');
    requests.push({ path: request.url ?? '', headers: JSON.stringify(request.headers), body });
    if (state.refuse) {
      response.writeHead(503, { 'content-type': 'application/json' }).end('{"itemsReceived":0}');
      return;
    }
    const items = parseItems(body);
    if ((request.url ?? '').includes('/track')) envelopes.push(...items);
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ itemsReceived: items.length, itemsAccepted: items.length, errors: [] }));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `https://127.0.0.1:${port}/`;
  return {
    url,
    connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=${url}`,
    caFile: pki.caFile,
    envelopes,
    requests,
    get refuse() {
      return state.refuse;
    },
    set refuse(value: boolean) {
      state.refuse = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The exporter posts a JSON array; newline-delimited JSON is read too. */
function parseItems(body: string): Envelope[] {
  const text = body.trim();
  if (text === '') return [];
  if (text.startsWith('[')) return JSON.parse(text) as Envelope[];
  return text.split('\n').map((line) => JSON.parse(line) as Envelope);
}

/**
 * Settings that make the distro export everything it records, promptly, to the fake: every span kept
 * (`samplingRatio` 1, no rate limit), nothing parked on disk for later, no live metrics, standard metrics or
 * performance counters (their own endpoints and envelopes), no statsbeat (it posts to Microsoft's endpoint).
 */
export function exportEverythingEnvironment(ingestion: FakeIngestion): Record<string, string> {
  return {
    APPLICATIONINSIGHTS_CONNECTION_STRING: ingestion.connectionString,
    APPLICATIONINSIGHTS_CONFIGURATION_CONTENT: JSON.stringify({
      samplingRatio: 1,
      tracesPerSecond: 0,
      enableLiveMetrics: false,
      enableStandardMetrics: false,
      enablePerformanceCounters: false,
      azureMonitorExporterOptions: { disableOfflineStorage: true },
    }),
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    NODE_EXTRA_CA_CERTS: ingestion.caFile,
  };
}

import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTelemetry, withSpan } from '../../../infra/telemetry';
import { diagnosticsTo, exportWarner } from '../../../infra/telemetry/export-warnings';
import { otelPipelineTelemetry } from '../../../infra/telemetry/otel-pipeline-telemetry';
import type { LogFields, Logger } from '../../../shared/logger';
import { silentLogger } from '../../../shared/logger';
import { startFakeIngestion } from '../../../testing/telemetry/fake-ingestion';
import type { FakeIngestion } from '../../../testing/telemetry/fake-ingestion';

/**
 * Export failures never fail a function: with the ingestion endpoint refusing (503), speaking no TLS, or not
 * listening at all, the pipeline's spans, metrics and events are recorded as usual (the exporter works in the
 * background), nothing is thrown or left as an unhandled rejection, and the trouble is one warning per period.
 *
 * The exporter runs in this process, which cannot be told to trust the fake's test CA after start
 * (NODE_EXTRA_CA_CERTS is read once), so certificate checks are off for this file only.
 */
interface Line {
  readonly message: string;
  readonly fields?: LogFields;
}

const ZERO_KEY = 'InstrumentationKey=00000000-0000-0000-0000-000000000000';
let dir: string;
let ingestion: FakeIngestion;
let plain: Server;
let plainPort: number;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => void rejections.push(reason);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'azl-export-'));
  ingestion = await startFakeIngestion(dir);
  plain = createServer((_request, response) => response.end('{}'));
  await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
  plainPort = (plain.address() as AddressInfo).port;
  process.on('unhandledRejection', onRejection);
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await ingestion.close();
  await new Promise((resolve) => plain.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

function capture(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const push = (message: string, fields?: LogFields) =>
    void lines.push({ message, ...(fields ? { fields } : {}) });
  return { logger: { ...silentLogger, warn: push, error: push }, lines };
}

/** Runs pipeline work with export on to `connectionString`, then stops (which flushes, and fails). */
async function workWithExportTo(connectionString: string) {
  vi.stubEnv('APPLICATION_INSIGHTS_NO_STATSBEAT', 'true');
  vi.stubEnv('NODE_TLS_REJECT_UNAUTHORIZED', '0');
  const { logger, lines } = capture();
  const telemetry = startTelemetry({
    applicationInsightsConnectionString: connectionString,
    logger,
    azureMonitor: {
      azureMonitorExporterOptions: { disableOfflineStorage: true },
      samplingRatio: 1,
      tracesPerSecond: 0,
      enableLiveMetrics: false,
      enableStandardMetrics: false,
      enablePerformanceCounters: false,
    },
  });
  const port = otelPipelineTelemetry();
  const results: string[] = [];
  try {
    for (let i = 0; i < 20; i++) {
      results.push(
        await port.span('publish', { 'azl.repository': 'base/x86_64' }, () =>
          withSpan('inner', {}, () => `done ${i}`),
        ),
      );
      port.messageWaited('builds', 5);
      port.planCreated({ planId: `plan-${i}`, trigger: 'event', components: ['zlib'] });
    }
  } finally {
    await telemetry.shutdown();
    vi.unstubAllEnvs();
  }
  const exportWarningLines = lines.filter((l) => l.message.startsWith('telemetry: export failing'));
  return { results, exportWarningLines, lines };
}

describe('export failures', () => {
  it('an endpoint answering 503: the work is done, telemetry dropped with one warning', async () => {
    ingestion.refuse = true;
    const before = ingestion.requests.length;
    const { results, exportWarningLines } = await workWithExportTo(ingestion.connectionString).finally(() => {
      ingestion.refuse = false;
    });
    expect(results).toHaveLength(20);
    expect(ingestion.requests.length).toBeGreaterThan(before); // it did try
    expect(ingestion.envelopes).toEqual([]);
    expect(exportWarningLines).toHaveLength(1);
    expect(exportWarningLines[0]?.fields).toMatchObject({ periodMinutes: 5 });
    expect(rejections).toEqual([]);
  }, 60_000);

  it('an endpoint that speaks no TLS (EPROTO): the same', async () => {
    const { results, exportWarningLines } = await workWithExportTo(
      `${ZERO_KEY};IngestionEndpoint=https://127.0.0.1:${plainPort}/`,
    );
    expect(results).toHaveLength(20);
    expect(exportWarningLines).toHaveLength(1);
    expect(rejections).toEqual([]);
  }, 60_000);

  it('an http:// IngestionEndpoint (the exporter speaks TLS to it anyway): the same', async () => {
    const { results, exportWarningLines } = await workWithExportTo(
      `${ZERO_KEY};IngestionEndpoint=http://127.0.0.1:${plainPort}/`,
    );
    expect(results).toHaveLength(20);
    expect(exportWarningLines).toHaveLength(1);
    expect(rejections).toEqual([]);
  }, 60_000);

  it('an endpoint that is not listening: the same', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const { results, exportWarningLines } = await workWithExportTo(
      `${ZERO_KEY};IngestionEndpoint=https://127.0.0.1:${closedPort}/`,
    );
    expect(results).toHaveLength(20);
    expect(exportWarningLines).toHaveLength(1);
    expect(rejections).toEqual([]);
  }, 60_000);
});

describe('exportWarnings', () => {
  it('says the first report at once, then at most one per period with how many it stands for', () => {
    const { logger, lines } = capture();
    let clock = 0;
    const diag = diagnosticsTo(exportWarner(logger, { periodMs: 60_000, now: () => clock }));
    diag.error('Envelopes could not be exported and are not retriable', new Error('status 400'));
    diag.warn('Retrying due to 503');
    clock = 30_000;
    diag.error('Envelopes could not be exported', new Error('EPROTO'));
    diag.info('ignored');
    clock = 61_000;
    diag.warn('Retrying due to 429');
    expect(lines.map((l) => l.fields)).toEqual([
      {
        reports: 1,
        periodMinutes: 1,
        latest: 'error: Envelopes could not be exported and are not retriable (status 400)',
      },
      { reports: 3, periodMinutes: 1, latest: 'warn: Retrying due to 429' },
    ]);
  });
});

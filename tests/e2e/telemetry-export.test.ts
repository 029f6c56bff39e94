import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CUSTOM_EVENTS, METRICS } from '../../shared/telemetry/catalogue';
import type { FixturePipeline } from '../../testing/pipeline/fixture-pipeline';
import { startFixturePipeline, waitUntilSettled } from '../../testing/pipeline/fixture-pipeline';
import { tagMessage } from '../../testing/fedora/wire-messages';
import { exportEverythingEnvironment, startFakeIngestion } from '../../testing/telemetry/fake-ingestion';
import type { Envelope, FakeIngestion } from '../../testing/telemetry/fake-ingestion';

/**
 * The proof: `azl-rebuilder start` with APPLICATIONINSIGHTS_CONNECTION_STRING pointing at a fake
 * ingestion endpoint (HTTPS, test CA), one real Fedora tag message through the local pipeline (ingest, plan,
 * build with rpmbuild, publish to two repositories), then the envelopes the portal would receive: one
 * operation id from ingest to every publish, the catalogue's metrics with exactly their dimensions, the
 * milestone events, and no key or secret anywhere.
 */
let pkiDir: string;
let ingestion: FakeIngestion;
let pipeline: FixturePipeline | undefined;

beforeAll(async () => {
  pkiDir = mkdtempSync(join(tmpdir(), 'azl-ingestion-'));
  ingestion = await startFakeIngestion(pkiDir);
  pipeline = await startFixturePipeline('azl-telemetry-', { env: exportEverythingEnvironment(ingestion) });
}, 150_000);

afterAll(async () => {
  await pipeline?.stop();
  await ingestion?.close();
  rmSync(pkiDir, { recursive: true, force: true });
}, 90_000);

const operationOf = (envelope: Envelope): string | undefined => envelope.tags['ai.operation.id'];
const named = (type: string, name: string) =>
  ingestion.envelopes.filter((e) => e.data.baseType === type && e.data.baseData.name === name);

test('one operation id from ingest to every publish, the catalogue metrics and events, no secret', async () => {
  const running = pipeline!;
  const response = await fetch(`${running.endpoints.apiBaseUrl}/fedora/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': running.endpoints.functionKey },
    body: JSON.stringify(tagMessage('azl-greeter', '2.1', '2.fc43')),
  });
  expect(response.status).toBe(202);
  await waitUntilSettled(running, 1);
  const { functionKey, serviceBusConnectionString, storageConnectionString } = running.endpoints;
  pipeline = undefined;
  await running.stop(); // SIGINT: the runtime stops, telemetry last, flushing spans, events and metrics

  // The trace: the ingest span's operation holds the plan, the build and both publishes.
  const [ingest] = named('RemoteDependencyData', 'ingest');
  expect(ingest, 'an ingest span was exported').toBeDefined();
  const operation = operationOf(ingest!);
  const inOperation = (envelopes: Envelope[]) => envelopes.filter((e) => operationOf(e) === operation);
  // Requests: one per invocation, the pipeline's CONSUMER span (App Insights names them by operation).
  const requests = (queue: string) =>
    inOperation(
      ingestion.envelopes.filter(
        (e) =>
          e.data.baseType === 'RequestData' &&
          e.data.baseData.properties?.['messaging.destination.name'] === queue,
      ),
    );
  const dependencies = (name: string) => inOperation(named('RemoteDependencyData', name));
  // The HTTP ingest is the operation's first request (named by its function), the ingest span its child.
  const [http] = named('RequestData', 'fedoraIngest');
  expect(http, 'the HTTP invocation was exported as a request').toBeDefined();
  expect(operationOf(http!)).toBe(operation);
  expect(http?.data.baseData).toMatchObject({ responseCode: '202', success: true });
  expect(ingest?.tags['ai.operation.parentId']).toBe(http?.data.baseData.id);
  expect(requests('ingest')).toHaveLength(1);
  expect(dependencies('planning pass').length).toBeGreaterThanOrEqual(1);
  expect(requests('builds')).toHaveLength(1);
  expect(dependencies('build')).toHaveLength(1);
  expect(requests('publish').length).toBeGreaterThanOrEqual(2);
  expect(dependencies('publish').length).toBeGreaterThanOrEqual(2);
  for (const queue of ['ingest', 'builds', 'publish'])
    expect(dependencies(`send ${queue}`).length, `send ${queue}`).toBeGreaterThanOrEqual(1);
  // Every request is the pipeline's own: the SDK's receive spans would count each message twice.
  const allRequests = ingestion.envelopes.filter((e) => e.data.baseType === 'RequestData');
  expect(allRequests.every((e) => e.data.baseData.properties?.['faas.trigger'] !== undefined)).toBe(true);
  const [build] = dependencies('build');
  expect(build?.data.baseData.properties).toMatchObject({
    'azl.component': 'azl-greeter',
    'azl.build.state': 'succeeded',
  });

  // Metrics: every one this flow records, under its catalogue name, with exactly its dimensions.
  const metrics = ingestion.envelopes.filter((e) => e.data.baseType === 'MetricData');
  const expected = [
    METRICS.ingestMessages,
    METRICS.planningPassDuration,
    METRICS.planItems,
    METRICS.builds,
    METRICS.buildDuration,
    METRICS.rpmbuildDuration,
    METRICS.queueWait,
    METRICS.publishDuration,
    METRICS.publishPackages,
    METRICS.endToEndLatency,
  ];
  for (const definition of expected) {
    const points = metrics.filter((m) => m.data.baseData.metrics?.[0]?.name === definition.name);
    expect(points.length, definition.name).toBeGreaterThan(0);
    for (const point of points) {
      expect(Object.keys(point.data.baseData.properties ?? {}).sort(), definition.name).toEqual(
        [...definition.dimensions].sort(),
      );
    }
  }
  const ingested = metrics.find((m) => m.data.baseData.metrics?.[0]?.name === METRICS.ingestMessages.name);
  expect(ingested?.data.baseData.properties).toEqual({
    outcome: 'accepted',
    source: 'http',
    topic: 'buildsys.tag',
  });

  // The milestone events, with their catalogue properties.
  for (const definition of [
    CUSTOM_EVENTS.planCreated,
    CUSTOM_EVENTS.buildSucceeded,
    CUSTOM_EVENTS.repoPublished,
  ]) {
    const events = named('EventData', definition.name);
    expect(events.length, definition.name).toBeGreaterThan(0);
    for (const event of events)
      expect(Object.keys(event.data.baseData.properties ?? {})).toEqual(
        expect.arrayContaining([...definition.properties]),
      );
  }
  expect(named('EventData', 'RepoPublished')).toHaveLength(2);

  // No key or secret in anything sent.
  const secrets = [
    functionKey,
    /SharedAccessKey=([^;]+)/.exec(serviceBusConnectionString)?.[1],
    /AccountKey=([^;]+)/.exec(storageConnectionString)?.[1],
  ].filter((s): s is string => typeof s === 'string' && s.length > 0);
  expect(secrets).toHaveLength(3);
  const sent = ingestion.requests.map((r) => `${r.path}\n${r.headers}\n${r.body}`).join('\n');
  for (const secret of secrets)
    expect(sent.includes(secret), 'a secret reached the ingestion endpoint').toBe(false);
}, 300_000);

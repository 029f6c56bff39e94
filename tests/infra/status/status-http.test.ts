import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusFunctions } from '../../../functions/status';
import { TableBuildRecords } from '../../../infra/build-worker/table-build-records';
import { startHttpServer } from '../../../hosts/local/functions-host/http-server';
import type { RunningHttpServer } from '../../../hosts/local/functions-host/http-server';
import { createStatusReaders } from '../../../infra/status';
import type { BuildSummary } from '../../../infra/status';
import { silentLogger } from '../../../shared/logger';
import type { BuildRecord } from '../../../shared/build-worker';
import { useAzurite } from '../../../testing/azurite';
import { fakeServices } from '../../../testing/fakes/services';

const azurite = useAzurite();
const KEY = 'status-test-key';
const component = `sthttp${Date.now().toString(36)}-gcc++`;

const record = (n: number): BuildRecord => {
  const fingerprint = `sha256:${n.toString(16).padStart(16, '0')}${'b'.repeat(48)}`;
  return {
    buildId: `${component}@${fingerprint.slice(7, 23)}`,
    component,
    fingerprint,
    planId: 'plan-http',
    wave: 0,
    requestedAt: '2026-12-01T00:00:00.000Z',
    state: 'succeeded',
    history: [{ state: 'queued', at: '2026-12-01T00:00:00.000Z' }],
    attempts: 1,
  };
};

/** The status functions behind the local host's router and key check, over real readers on Azurite. */
describe('status API through the local host', () => {
  let server: RunningHttpServer;
  const api = (path: string, key: string | null = KEY): Promise<Response> =>
    fetch(`${server.url}/api/${path}`, key === null ? {} : { headers: { 'x-functions-key': key } });

  beforeAll(async () => {
    const tables = azurite.tables;
    const blobs = azurite.blobs;
    const records = new TableBuildRecords(tables);
    for (let n = 1; n <= 5; n++) await records.put(record(n));
    const services = fakeServices({
      status: createStatusReaders(
        { tables, blobs, blobTarget: { connectionString: azurite.connectionString } },
        undefined,
      ),
    });
    server = await startHttpServer({
      functions: statusFunctions(() => Promise.resolve(services)),
      port: 0,
      functionKeys: { default: KEY },
      logger: silentLogger,
    });
  });
  afterAll(() => server.close());

  it('needs the function key', async () => {
    expect((await api('builds', null)).status).toBe(401);
  });

  it('follows the continuation token through the query string to the last page', async () => {
    const seen: string[] = [];
    let path = `builds?component=${encodeURIComponent(component)}&limit=2`;
    for (let pages = 0; pages < 10; pages++) {
      const res = await api(path);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: BuildSummary[]; continuationToken?: string };
      seen.push(...body.items.map((b) => b.buildId));
      if (!body.continuationToken) break;
      path = `builds?component=${encodeURIComponent(component)}&limit=2&continuationToken=${encodeURIComponent(body.continuationToken)}`;
    }
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5].map((n) => record(n).buildId).sort());
  });

  it('serves one build by its id (escaped in the path) and 404 for an unknown one', async () => {
    const wanted = record(3);
    const res = await api(`builds/${encodeURIComponent(wanted.buildId)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(wanted);
    const missing = await api(`builds/${encodeURIComponent(`${component}@${'0'.repeat(16)}`)}`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'status.unknown-build' });
  });
});

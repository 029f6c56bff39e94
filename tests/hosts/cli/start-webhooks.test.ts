import { beforeEach, expect, test } from 'vitest';
import {
  recordStartWebhooks,
  START_WEBHOOK_DESCRIPTION,
  subscribeStartWebhooks,
} from '../../../hosts/cli/start-webhooks';
import type { Endpoints } from '../../../hosts/local/runtime/endpoints-file';
import { readEndpoints, writeEndpoints } from '../../../hosts/local/runtime/endpoints-file';
import { WebhookApiClient } from '../../../infra/webhooks/webhook-api-client';
import { failure } from '../../../testing/failures';
import { useStarted } from '../../../testing/lifecycle';
import { tempDirForTest } from '../../../testing/temp-dirs';
import { startWebhookApiServer } from '../../../testing/webhooks/webhook-api-server';

/**
 * The `start --webhook` step on its own, against the real subscription handlers over HTTP: what `start`
 * runs once its HTTP host is up, before the demo (the whole `start` is covered by the e2e tests).
 */
const server = useStarted('the webhook API', startWebhookApiServer, (s) => s.close());
const client = () =>
  new WebhookApiClient({ apiBaseUrl: server().apiBaseUrl, functionKey: server().functionKey });
beforeEach(() => server().store.rows.clear());

const first = 'http://127.0.0.1:9901/hook';
const second = 'http://127.0.0.1:9902/';

test('each URL is subscribed to every event; the ids and secrets are what the API stored', async () => {
  const made = await subscribeStartWebhooks(client(), [first, second]);
  expect(made.map((w) => w.url)).toEqual([first, second]);
  for (const webhook of made) {
    const stored = server().store.rows.get(webhook.id);
    expect(stored).toMatchObject({ url: webhook.url, events: ['*'], enabled: true });
    expect(stored?.description).toBe(START_WEBHOOK_DESCRIPTION);
    expect(stored?.secrets.current).toBe(webhook.secret);
  }
  expect(new Set(made.map((w) => w.id)).size).toBe(2);
});

test('a URL an earlier start subscribed is reused, enabled again, with a new secret; not subscribed twice', async () => {
  const [before] = await subscribeStartWebhooks(client(), [first]);
  await client().update(before!.id, { enabled: false, events: ['build.failed'] });
  // Someone's own subscription of the same URL is left alone.
  const own = await client().create({ url: first, events: ['repo.published'] });

  const [after] = await subscribeStartWebhooks(client(), [first]);
  expect(after!.id).toBe(before!.id);
  expect(after!.secret).not.toBe(before!.secret);
  const stored = server().store.rows.get(before!.id);
  expect(stored).toMatchObject({ enabled: true, events: ['*'] });
  expect(stored?.secrets.current).toBe(after!.secret);
  // The old secret keeps signing for the grace period, so a receiver still holding it loses nothing.
  expect(stored?.secrets.previous.map((p) => p.secret)).toEqual([before!.secret]);
  expect(server().store.rows.size).toBe(2);
  expect(server().store.rows.get(own.id)?.events).toEqual(['repo.published']);
});

test('the same URL given twice is two subscriptions only the first time round', async () => {
  const made = await subscribeStartWebhooks(client(), [first, first]);
  expect(new Set(made.map((w) => w.id)).size).toBe(2);
  const again = await subscribeStartWebhooks(client(), [first, first]);
  expect(again.map((w) => w.id).sort()).toEqual(made.map((w) => w.id).sort());
  expect(server().store.rows.size).toBe(2);
});

test('a URL the API refuses: webhooks.refused naming the status', async () => {
  const error = await failure(subscribeStartWebhooks(client(), ['https://169.254.169.254/latest']));
  expect(error.code).toBe('webhooks.refused');
  expect(error.context).toMatchObject({ status: 400, apiCode: 'webhook.destination-refused' });
});

test('no URL: nothing is asked of the API', async () => {
  const unreachable = new WebhookApiClient({ apiBaseUrl: 'http://127.0.0.1:1/api' });
  expect(await subscribeStartWebhooks(unreachable, [])).toEqual([]);
});

test('endpoints.json gains webhooks [{id, url, secret}] and keeps its other fields', () => {
  const dataDir = tempDirForTest('azl-start-webhooks-');
  const endpoints: Endpoints = {
    pid: 4242,
    startedAt: '2026-12-06T08:00:00.000Z',
    httpBaseUrl: 'http://127.0.0.1:7071',
    apiBaseUrl: 'http://127.0.0.1:7071/api',
    healthUrl: 'http://127.0.0.1:7071/api/health',
    dashboardUrl: 'http://127.0.0.1:7071/dashboard#key=k',
    functionKey: 'k',
    serviceBusConnectionString: 'Endpoint=sb://127.0.0.1:5672;SharedAccessKeyName=a;SharedAccessKey=b',
    storageConnectionString: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c',
  };
  writeEndpoints(dataDir, endpoints);
  const webhooks = [{ id: 'ep_1', url: first, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }];
  recordStartWebhooks(dataDir, endpoints, webhooks);
  expect(readEndpoints(dataDir)).toEqual({ ...endpoints, webhooks });
});

import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../../hosts/cli/main';
import { sinceTime } from '../../../hosts/cli/webhooks-command';
import { writeEndpoints } from '../../../hosts/local/runtime/endpoints-file';
import type { AttemptRecord, DeliveryRecord } from '../../../shared/webhooks/delivery';
import { attemptIdOf } from '../../../shared/webhooks/delivery';
import { closedPort } from '../../../testing/loopback-http';
import { useStarted } from '../../../testing/lifecycle';
import { tempDirForTest } from '../../../testing/temp-dirs';
import { capturedWrite } from '../../../testing/captured-write';
import { startWebhookApiServer } from '../../../testing/webhooks/webhook-api-server';

/**
 * `azl-rebuilder webhooks …` run in process against the webhook API over real HTTP: the real subscription
 * handlers and services, on fakes at their ports (`testing/webhooks/webhook-api-server.ts`).
 */
const server = useStarted('the webhook API', startWebhookApiServer, (s) => s.close());

let stdout = '';
let stderr = '';
const capture = capturedWrite;

beforeEach(() => {
  stdout = '';
  stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(capture((text) => (stdout += text)));
  vi.spyOn(process.stderr, 'write').mockImplementation(capture((text) => (stderr += text)));
  server().store.rows.clear();
  server().log.deliveries.clear();
  server().log.attemptRows.clear();
  server().queue.drain();
});
afterEach(() => vi.restoreAllMocks());

/** Runs `webhooks <args>` against the server; the JSON answer parsed when stdout is JSON. */
async function webhooks(...args: string[]) {
  stdout = '';
  stderr = '';
  const code = await main(['webhooks', ...args, '--url', server().apiBaseUrl, '--key', server().functionKey]);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    // a table, or nothing
  }
  return { code, json, stdout, stderr };
}

const hook = 'http://127.0.0.1:9/hook';

describe('webhooks add, list, remove, enable, disable (the real handlers)', () => {
  test('add prints the id and the secret once, with its events and filters; list never shows a secret', async () => {
    const added = await webhooks(
      'add',
      hook,
      '--event',
      'build.failed',
      '--event',
      'repo.published',
      '--component',
      'zlib-ng',
      '--channel',
      'base',
      '--repository',
      'base/x86_64',
      '--description',
      'CI',
    );
    expect(added.code, added.stderr).toBe(0);
    const secret = added.json['secret'] as string;
    expect(secret).toMatch(/^whsec_/);
    expect(added.json).toMatchObject({
      id: 'ep_001',
      url: hook,
      events: ['build.failed', 'repo.published'],
      filters: { components: ['zlib-ng'], channels: ['base'], repositories: ['base/x86_64'] },
      description: 'CI',
      enabled: true,
    });
    expect(added.stderr).toContain('the secret of ep_001 is shown this once');
    expect(server().store.rows.get('ep_001')?.secrets.current).toBe(secret);

    const listed = await webhooks('list');
    expect(listed.code).toBe(0);
    expect((listed.json['items'] as { id: string }[]).map((item) => item.id)).toEqual(['ep_001']);
    expect(listed.stdout).not.toContain('whsec_');
  });

  test('add without --event subscribes to every event', async () => {
    const added = await webhooks('add', hook);
    expect(added.code).toBe(0);
    expect(server().store.rows.get(added.json['id'] as string)?.events).toEqual(['*']);
  });

  test('remove deletes it; removing it again is the API 404, reported with its code (exit 1)', async () => {
    const { json } = await webhooks('add', hook);
    const id = json['id'] as string;
    const removed = await webhooks('remove', id);
    expect([removed.code, removed.json]).toEqual([0, { removed: id }]);
    expect(server().store.rows.size).toBe(0);

    const again = await webhooks('remove', id);
    expect(again.code).toBe(1);
    expect(again.json['error']).toMatchObject({ code: 'webhooks.refused', status: 404 });
    expect((again.json['error'] as Record<string, unknown>)['message']).toContain(
      '404 webhook.unknown-subscription',
    );
    expect(again.stderr).toMatch(/^azl-rebuilder webhooks remove: webhooks\.refused: /);
  });

  test('disable and enable PATCH enabled', async () => {
    const id = (await webhooks('add', hook)).json['id'] as string;
    const disabled = await webhooks('disable', id);
    expect([disabled.code, disabled.json['enabled']]).toEqual([0, false]);
    expect(server().store.rows.get(id)?.enabled).toBe(false);
    const enabled = await webhooks('enable', id);
    expect([enabled.code, enabled.json['enabled']]).toEqual([0, true]);
    expect(server().store.rows.get(id)?.enabled).toBe(true);
  });

  test('rotate-secret prints the new secret once; the old one stays beside it', async () => {
    const added = await webhooks('add', hook);
    const id = added.json['id'] as string;
    const rotated = await webhooks('rotate-secret', id);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(rotated.json['secret']).toMatch(/^whsec_/);
    expect(rotated.json['secret']).not.toBe(added.json['secret']);
    expect(rotated.stderr).toContain(`the new secret of ${id} is shown this once`);
    const stored = server().store.rows.get(id)?.secrets;
    expect(stored?.current).toBe(rotated.json['secret']);
    expect(stored?.previous.map((p) => p.secret)).toEqual([added.json['secret']]);
  });

  test.each([
    [['https://10.1.2.3/hook'], 'webhook.destination-refused'],
    [[hook, '--event', 'build.exploded'], 'webhook.invalid-subscription'],
  ])('add %j: the API refuses it (400 %s), nothing is stored', async (args, apiCode) => {
    const refused = await webhooks('add', ...args);
    expect(refused.code).toBe(1);
    expect(refused.json['error']).toMatchObject({ code: 'webhooks.refused', status: 400, apiCode });
    expect((refused.json['error'] as { message: string }).message).toContain(`400 ${apiCode}`);
    expect(server().store.rows.size).toBe(0);
  });

  test('a format the API does not know is a usage error (exit 2), nothing sent', async () => {
    const usage = await webhooks('add', hook, '--format', 'xml');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('Allowed choices are cloudevents, slack, teams');
  });
});

describe('where the pipeline is', () => {
  test('neither --url nor --local: webhooks.no-pipeline', async () => {
    const code = await main(['webhooks', 'list']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'webhooks.no-pipeline' } });
  });

  test('--local with no running pipeline: webhooks.no-pipeline naming the data folder', async () => {
    const dataDir = tempDirForTest('azl-webhooks-cli-');
    const code = await main(['webhooks', 'list', '--local', '--data-dir', dataDir]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'webhooks.no-pipeline', dataDir } });
  });

  test("--local reads the API and the key from the local pipeline's endpoints.json", async () => {
    const dataDir = tempDirForTest('azl-webhooks-cli-');
    const origin = server().apiBaseUrl.replace(/\/api$/, '');
    writeEndpoints(dataDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      httpBaseUrl: origin,
      apiBaseUrl: server().apiBaseUrl,
      healthUrl: `${origin}/api/health`,
      dashboardUrl: `${origin}/dashboard`,
      functionKey: server().functionKey,
      serviceBusConnectionString: 'Endpoint=sb://127.0.0.1:1;SharedAccessKeyName=x;SharedAccessKey=y',
      storageConnectionString: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=k',
    });
    expect(await main(['webhooks', 'add', hook, '--local', '--data-dir', dataDir])).toBe(0);
    expect(server().store.rows.size).toBe(1);
  });

  test('a wrong key: the 401 as webhooks.refused', async () => {
    const code = await main(['webhooks', 'list', '--url', server().apiBaseUrl, '--key', 'wrong']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'webhooks.refused', status: 401 } });
  });

  test('nothing listening: webhooks.unreachable', async () => {
    const api = `http://127.0.0.1:${await closedPort()}/api`;
    const code = await main(['webhooks', 'list', '--url', api]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ error: { code: 'webhooks.unreachable' } });
  });
});

const attempt = (
  overrides: Partial<AttemptRecord> & Pick<AttemptRecord, 'at' | 'deliveryId'>,
): AttemptRecord => ({
  endpointId: 'ep_001',
  attemptId: attemptIdOf(Date.parse(overrides.at), {
    deliveryId: overrides.deliveryId,
    round: overrides.round ?? 1,
    attempt: overrides.attempt ?? 1,
  }),
  eventId: 'evt_1',
  eventType: 'build.succeeded',
  round: 1,
  attempt: 1,
  trigger: 'event',
  result: 'delivered',
  status: 204,
  latencyMs: 12.4,
  ...overrides,
});

/** Fills the endpoint's delivery log with `attempts` (as the delivery engine records them). */
async function logAttempts(id: string, attempts: AttemptRecord[]): Promise<void> {
  for (const record of attempts) await server().log.recordAttempt({ ...record, endpointId: id });
}

const deliveryRecord = (
  endpointId: string,
  deliveryId: string,
  status: DeliveryRecord['status'],
  updatedAt: string,
): DeliveryRecord => ({
  endpointId,
  deliveryId,
  eventId: `evt_${deliveryId}`,
  eventType: 'build.succeeded',
  subject: 'zlib-ng',
  event: { specversion: '1.0', id: `evt_${deliveryId}`, source: 'urn:azl-rebuilder:test', type: 'x' },
  status,
  round: 1,
  attempts: 1,
  createdAt: updatedAt,
  updatedAt,
});

/** What ping, redeliver and recover put on the delivery queue: `<trigger> <endpoint> <delivery> round <n>`. */
const sent = () =>
  server().queue.sent.map((m) => `${m.trigger} ${m.endpointId} ${m.deliveryId} round ${m.round}`);

describe('test, deliveries, redeliver, recover (the real delivery routes)', () => {
  test('test sends a ping and prints the API answer; a disabled endpoint is the 409 with its code', async () => {
    const id = (await webhooks('add', hook)).json['id'] as string;
    const pinged = await webhooks('test', id);
    expect([pinged.code, pinged.json]).toEqual([
      0,
      { endpointId: id, deliveryId: expect.stringMatching(/^dlv_/), eventId: expect.stringMatching(/^evt_/) },
    ]);
    await webhooks('disable', id);
    const refused = await webhooks('test', id);
    expect(refused.code).toBe(1);
    expect(refused.json['error']).toMatchObject({
      code: 'webhooks.refused',
      status: 409,
      apiCode: 'webhook.endpoint-disabled',
    });
    expect((refused.json['error'] as { message: string }).message).toContain('409 webhook.endpoint-disabled');
    expect(sent()).toEqual([`ping ${id} ${String(pinged.json['deliveryId'])} round 1`]);
  });

  test('deliveries: a table a line per attempt, and the command for the next page', async () => {
    const id = (await webhooks('add', hook)).json['id'] as string;
    await logAttempts(id, [
      attempt({
        at: '2026-12-06T07:02:00.000Z',
        deliveryId: 'dlv_b',
        result: 'retrying',
        status: 503,
        round: 2,
        attempt: 3,
        latencyMs: 40,
        nextAttemptAt: '2026-12-06T07:07:00.000Z',
      }),
      attempt({
        at: '2026-12-06T07:01:00.000Z',
        deliveryId: 'dlv_a',
        response: 'ok\nthanks',
      }),
      attempt({
        at: '2026-12-06T07:00:00.000Z',
        deliveryId: 'dlv_a',
        result: 'retrying',
        error: 'webhook.timeout',
        latencyMs: 15_000,
        status: undefined,
      }),
    ]);
    const first = await webhooks('deliveries', id, '--limit', '2');
    expect(first.code, first.stderr).toBe(0);
    const lines = first.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +RESULT +HTTP +TRY +LATENCY +EVENT +DELIVERY +DETAIL$/);
    expect(lines[1]).toMatch(
      /^2026-12-06T07:02:00\.000Z +retrying +503 +2\.3 +40 ms +build\.succeeded +dlv_b +next try 2026-12-06T07:07:00\.000Z$/,
    );
    expect(lines[2]).toMatch(
      /^2026-12-06T07:01:00\.000Z +delivered +204 +1\.1 +12 ms +build\.succeeded +dlv_a +ok thanks$/,
    );
    expect(lines[3]).toBe(
      `more: azl-rebuilder webhooks deliveries ${id} --url ${server().apiBaseUrl} --key <key> --limit 2 --continuation-token 2`,
    );
    expect(lines).toHaveLength(4);
    // The columns line up: each cell of a column starts where its header does.
    expect(lines[1]!.indexOf('dlv_b')).toBe(lines[0]!.indexOf('DELIVERY'));

    const second = await webhooks('deliveries', id, '--limit', '2', '--continuation-token', '2');
    const rest = second.stdout.trimEnd().split('\n');
    expect(rest).toHaveLength(2);
    expect(rest[1]).toMatch(/^2026-12-06T07:00:00\.000Z +retrying +- +1\.1 +15000 ms .* webhook\.timeout$/);
  });

  test('deliveries --json prints the page as the API answers it; none yet says so in the table', async () => {
    const id = (await webhooks('add', hook)).json['id'] as string;
    expect((await webhooks('deliveries', id)).stdout).toBe('no delivery attempts yet\n');
    const record = attempt({ at: '2026-12-06T07:00:00.000Z', deliveryId: 'dlv_a' });
    await logAttempts(id, [record]);
    const page = await webhooks('deliveries', id, '--json');
    expect([page.code, page.json]).toEqual([0, { attempts: [{ ...record, endpointId: id }] }]);
  });

  test('deliveries of an unknown endpoint: the 404 (exit 1), no table', async () => {
    const answer = await webhooks('deliveries', 'ep_nope');
    expect(answer.code).toBe(1);
    expect(answer.json['error']).toMatchObject({ code: 'webhooks.refused', status: 404 });
    expect(answer.stdout).not.toContain('TIME');
  });

  test('redeliver prints the new round; an unknown delivery is the 404', async () => {
    const id = (await webhooks('add', hook)).json['id'] as string;
    await server().log.saveDelivery(deliveryRecord(id, 'dlv_a', 'failed', '2026-12-06T07:00:00.000Z'));
    const again = await webhooks('redeliver', id, 'dlv_a');
    expect([again.code, again.json]).toEqual([0, { deliveryId: 'dlv_a', round: 2 }]);
    expect(sent()).toEqual([`redeliver ${id} dlv_a round 2`]);
    expect((await webhooks('redeliver', id, 'dlv_zz')).json['error']).toMatchObject({ status: 404 });
  });

  test('recover --since sends the time as ISO 8601 and prints how many were sent again', async () => {
    const id = (await webhooks('add', hook)).json['id'] as string;
    await server().log.saveDelivery(deliveryRecord(id, 'dlv_new', 'failed', '2026-12-06T08:00:00.000Z'));
    await server().log.saveDelivery(deliveryRecord(id, 'dlv_old', 'failed', '2026-12-06T06:00:00.000Z'));
    await server().log.saveDelivery(deliveryRecord(id, 'dlv_ok', 'delivered', '2026-12-06T08:00:00.000Z'));
    const recovered = await webhooks('recover', id, '--since', '2026-12-06T07:00:00+00:00');
    expect([recovered.code, recovered.json]).toEqual([0, { redelivered: 1 }]);
    expect(sent()).toEqual([`recover ${id} dlv_new round 2`]);
  });

  test.each([['yesterday'], ['2026-13-40'], ['5 minutes']])(
    'recover --since %s is a usage error (exit 2), nothing sent',
    async (since) => {
      const answer = await webhooks('recover', 'ep_001', '--since', since);
      expect(answer.code).toBe(2);
      expect(answer.stderr).toContain('expected an ISO 8601 time');
      expect(sent()).toEqual([]);
    },
  );
});

test('sinceTime: spans count back from now', () => {
  const now = () => new Date('2026-12-06T08:00:00.000Z');
  expect(sinceTime('30m', now).toISOString()).toBe('2026-12-06T07:30:00.000Z');
  expect(sinceTime('2h', now).toISOString()).toBe('2026-12-06T06:00:00.000Z');
  expect(sinceTime('1d', now).toISOString()).toBe('2026-12-05T08:00:00.000Z');
  expect(sinceTime('2026-12-01', now).toISOString()).toBe('2026-12-01T00:00:00.000Z');
});

import type { CloudEventV1 } from 'cloudevents';
import { HTTP } from 'cloudevents';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseCloudEvent, pipelineEventOf } from '../../shared/events/cloud-event';
import type { WebhookSubscription } from '../../shared/webhooks/subscription';
import { matches } from '../../shared/webhooks/subscription';
import { tagMessage } from '../../testing/fedora/wire-messages';
import type { FixturePipeline } from '../../testing/pipeline/fixture-pipeline';
import { startFixturePipeline, waitUntilSettled } from '../../testing/pipeline/fixture-pipeline';
import type { ReceivedRequest, TestReceiver } from '../../testing/webhooks/receivers';
import { startReceiver } from '../../testing/webhooks/receivers';

/**
 * The end-to-end proof, on the local pipeline (`azl-rebuilder start`: Azurite, the broker, the same
 * handlers): four receivers subscribe through the API, two Fedora tag messages go through ingest, planning,
 * rpmbuild and publishing, and each receiver is judged as a receiver would judge it (`standardwebhooks`
 * signatures, the `cloudevents` SDK):
 * - `all` (every event) gets each event once, signed, with the build and repository details;
 * - `greeter` (filtered to the component azl-greeter) gets exactly the events of `all` that its filter passes;
 * - `flaky` fails its first three requests, then recovers: it still accepts every event exactly once;
 * - `gone` answers 410: it is disabled, and `webhook.endpoint-disabled` reaches the others.
 */
let pipeline: FixturePipeline;
const receivers: Record<'all' | 'greeter' | 'flaky' | 'gone', TestReceiver> = {} as never;
const endpoints: Record<string, { id: string; secret: string }> = {};
let flakyRequests = 0;

beforeAll(async () => {
  receivers.all = await startReceiver((_request, response) => response.writeHead(204).end());
  receivers.greeter = await startReceiver((_request, response) => response.writeHead(200).end('ok'));
  receivers.flaky = await startReceiver((_request, response) => {
    flakyRequests += 1;
    if (flakyRequests <= 3) response.writeHead(500).end('not yet');
    else response.writeHead(202).end();
  });
  receivers.gone = await startReceiver((_request, response) => response.writeHead(410).end('gone'));
  pipeline = await startFixturePipeline('azl-webhooks-', {
    env: { AZL_WEBHOOK_RETRY_SCHEDULE: '1s,1s,2s,2s,2s' },
  });
}, 150_000);

afterAll(async () => {
  await pipeline?.stop();
  await Promise.all(Object.values(receivers).map((receiver) => receiver?.close()));
}, 90_000);

/** The fields of the webhook API's answers this test reads. */
interface Answer {
  readonly id: string;
  readonly secret: string;
  readonly enabled?: boolean;
  readonly secrets?: unknown;
  readonly attempts: { result: string; status?: number }[];
}

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; json: Answer }> {
  const response = await fetch(`${pipeline.endpoints.apiBaseUrl}/${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-functions-key': pipeline.endpoints.functionKey },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text ? JSON.parse(text) : {}) as Answer };
}

async function subscribe(name: keyof typeof receivers, request: Record<string, unknown>): Promise<void> {
  const created = await api('POST', 'webhooks', { url: `${receivers[name].origin}/hook`, ...request });
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  endpoints[name] = { id: created.json.id, secret: created.json.secret };
}

/** The request verified with the endpoint's secret and parsed with the cloudevents SDK, as a receiver does. */
function verified(name: string, request: ReceivedRequest): CloudEventV1<unknown> {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([key, value]) => [
      key,
      Array.isArray(value) ? value.join(', ') : String(value),
    ]),
  );
  new Webhook(endpoints[name]!.secret).verify(request.body, headers);
  const event = HTTP.toEvent({ headers, body: request.body });
  if (Array.isArray(event)) throw new Error('a batch');
  expect(headers['webhook-id']).toBe(event.id);
  return event as CloudEventV1<unknown>;
}

async function until(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms\n${pipelineLog()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The pipeline's log lines about webhooks, warnings and errors: what explains a failure here. */
function pipelineLog(): string {
  return pipeline.run
    .output()
    .split('\n')
    .filter((line) => !line.includes('"http request"') && /webhook|"level":"(warn|error)"/i.test(line))
    .slice(-60)
    .join('\n');
}

const typeOf = (event: { type: string }) => event.type.replace('com.azurelinux.rebuilder.', '');
const ids = (events: readonly { id: string }[]) => events.map((event) => event.id).sort();

test('four receivers: every event once and signed, a filter, a recovering receiver, a gone one', async () => {
  await subscribe('all', { events: ['*'], description: 'everything' });
  await subscribe('greeter', { events: ['*'], filters: { components: ['azl-greeter'] } });
  await subscribe('flaky', { events: ['*'] });
  await subscribe('gone', { events: ['build.started', 'build.succeeded'] });

  const sent = await fetch(`${pipeline.endpoints.apiBaseUrl}/fedora/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-functions-key': pipeline.endpoints.functionKey },
    body: JSON.stringify([
      tagMessage('azl-greeter', '2.1', '2.fc43'),
      tagMessage('azl-hello-lib', '1.0', '3.fc43'),
    ]),
  });
  expect(sent.status).toBe(202);
  await waitUntilSettled(pipeline, 2);

  // The gone receiver is disabled after its first answer, and says why.
  await until(
    'the gone endpoint disabled',
    async () => (await api('GET', `webhooks/${endpoints['gone']!.id}`)).json.enabled === false,
  );
  const gone = await api('GET', `webhooks/${endpoints['gone']!.id}`);
  expect(gone.json).toMatchObject({ enabled: false, disabled: { reason: 'gone' } });
  expect(gone.json.secrets).toBeUndefined();
  expect(receivers.gone.received).toHaveLength(1);

  // Everything reaches `all` once the pipeline is quiet: every event it sent, plus the endpoint-disabled one.
  const allEvents = () => receivers.all.received.map((request) => verified('all', request));
  await until('webhook.endpoint-disabled delivered to all', () =>
    allEvents().some((event) => typeOf(event) === 'webhook.endpoint-disabled'),
  );
  // Quiet: no new request for 3 s (fan-out runs behind the last publish).
  let seen = -1;
  await until('the all receiver quiet', async () => {
    const now = receivers.all.received.length;
    if (now === seen) return true;
    seen = now;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    return false;
  });
  const received = allEvents();
  expect(new Set(ids(received)).size, 'each event once').toBe(received.length);
  const types = received.map(typeOf);
  for (const type of [
    'plan.created',
    'build.started',
    'build.succeeded',
    'repo.published',
    'webhook.endpoint-disabled',
  ])
    expect(types, type).toContain(type);
  for (const event of received) parseCloudEvent(event); // each fits its catalogue schema

  const built = received.filter((event) => typeOf(event) === 'build.succeeded');
  expect(built.map((event) => (event.data as { component: string }).component).sort()).toEqual(
    expect.arrayContaining(['azl-greeter', 'azl-hello-lib']),
  );
  for (const event of built)
    expect(event.data).toMatchObject({ nevras: expect.any(Array), repositories: expect.any(Array) });
  const published = received.filter((event) => typeOf(event) === 'repo.published');
  for (const event of published)
    expect(event.data).toMatchObject({ repository: expect.any(String), revision: expect.any(Number) });
  const disabled = received.find((event) => typeOf(event) === 'webhook.endpoint-disabled');
  expect(disabled).toMatchObject({ subject: endpoints['gone']!.id, data: { reason: 'gone' } });

  // The filtered receiver gets exactly what its filter passes of those events, each once.
  const greeterFilter = {
    enabled: true,
    events: ['*'],
    filters: { components: ['azl-greeter'] },
  } as unknown as WebhookSubscription;
  const expectedForGreeter = received.filter((event) =>
    matches(greeterFilter, pipelineEventOf(parseCloudEvent(event))),
  );
  await until(
    'the filtered receiver caught up',
    () => receivers.greeter.received.length >= expectedForGreeter.length,
  );
  const greeterEvents = receivers.greeter.received.map((request) => verified('greeter', request));
  expect(ids(greeterEvents)).toEqual(ids(expectedForGreeter));
  expect(greeterEvents.some((event) => typeOf(event) === 'repo.published')).toBe(false);
  expect(greeterEvents.map((event) => event.subject)).toContain('azl-greeter');

  // The flaky receiver failed three requests and still accepted every event exactly once.
  const accepted = () => {
    const failedFirst = new Set<number>([0, 1, 2]);
    return receivers.flaky.received
      .filter((_request, index) => !failedFirst.has(index))
      .map((request) => verified('flaky', request));
  };
  await until('the flaky receiver caught up', () => new Set(ids(accepted())).size >= received.length);
  expect(ids(accepted())).toEqual(ids(received));
  // Each event whose request failed came again, with the same webhook-id, and was accepted then.
  const acceptedIds = new Set(ids(accepted()));
  for (const request of receivers.flaky.received.slice(0, 3))
    expect(acceptedIds.has(String(request.headers['webhook-id']))).toBe(true);

  // The delivery log shows the failed attempts and their retries.
  const log = await api('GET', `webhooks/${endpoints['flaky']!.id}/deliveries?limit=200`);
  expect(log.status).toBe(200);
  const results = log.json.attempts.map((attempt) => [attempt.result, attempt.status]);
  expect(results.filter(([result]) => result === 'retrying')).toEqual([
    ['retrying', 500],
    ['retrying', 500],
    ['retrying', 500],
  ]);
  expect(results.filter(([result]) => result === 'delivered')).toHaveLength(received.length);
}, 300_000);

import type { TokenCredential } from '@azure/core-auth';
import { delay, http, HttpResponse } from 'msw';
import type { HttpResponseResolver } from 'msw';
import { describe, expect, test } from 'vitest';
import {
  ContainerAppsJobDispatcher,
  JobsClient,
  mapExecutionStatus,
} from '../../../infra/builders/container-apps';
import type { ContainerAppsJobDispatcherOptions } from '../../../infra/builders/container-apps';
import { buildRequestSchema } from '../../../shared/build';
import { FakeArmCredential } from '../../../testing/arm/fake-credential';
import { failure } from '../../../testing/failures';
import { useMsw } from '../../../testing/msw';

/**
 * The cloud builder's ARM calls, made by `@azure/arm-appcontainers`, against an msw stand-in for
 * management.azure.com, with the request and response shapes of the Microsoft.App 2025-07-01 examples
 * (Job_Start.json, Job_Execution_Get.json).
 */
const server = useMsw();

const ARM = 'https://management.azure.com';
const SUBSCRIPTION = '34adfa4f-cedf-4dc0-ba29-b6d1a69ab345';
const JOB_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.App/jobs/azl-build`;
const START = `${ARM}${JOB_ID}/start`;
const EXECUTION = 'azl-build-pjxhsye';
const EXECUTION_URL = `${ARM}${JOB_ID}/executions/${EXECUTION}`;

const request = buildRequestSchema.parse({
  planId: 'plan-42',
  component: 'zlib-ng',
  fingerprint: `sha256:${'ab'.repeat(32)}`,
  wave: 0,
  priority: 10,
  reasons: [{ messageId: 'fedora-1', kind: 'upstream-build', package: 'zlib-ng', component: 'zlib-ng' }],
  requestedAt: '2025-06-01T10:00:00Z',
});

interface Seen {
  readonly method: string;
  readonly url: URL;
  readonly authorization: string | null;
  readonly body: unknown;
}

const dispatcherJob = () => ({
  resourceId: JOB_ID,
  subscriptionId: SUBSCRIPTION,
  resourceGroup: 'rg-azl',
  jobName: 'azl-build',
});

function setup(overrides: Partial<ContainerAppsJobDispatcherOptions> = {}) {
  const credential = new FakeArmCredential();
  let clock = 1_000_000;
  const waits: number[] = [];
  const dispatcher = new ContainerAppsJobDispatcher({
    client: new JobsClient({ endpoint: ARM, credential, subscriptionId: SUBSCRIPTION }),
    settings: {
      job: dispatcherJob(),
      image: 'azlacr.azurecr.io/azl-rebuilder:1.2.3',
      containerName: 'azl-build',
      resources: { cpu: 2, memory: '4Gi' },
    },
    env: { ServiceBusConnection__fullyQualifiedNamespace: 'azl.servicebus.windows.net' },
    throttle: { maxRetries: 2, maxDelayMs: 60_000 },
    sleep: (ms) => {
      waits.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    ...overrides,
  });
  return { dispatcher, credential, waits };
}

/** Serves `answers` in order (the last one repeats) and records every request. */
function script(method: 'get' | 'post', url: string, answers: (() => Response)[]): Seen[] {
  const seen: Seen[] = [];
  const resolver: HttpResponseResolver = async ({ request: req }) => {
    const text = await req.text();
    seen.push({
      method: req.method,
      url: new URL(req.url),
      authorization: req.headers.get('authorization'),
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    });
    const answer = answers[Math.min(seen.length, answers.length) - 1];
    if (!answer) throw new Error('no answer scripted');
    return answer();
  };
  server.use(method === 'get' ? http.get(url, resolver) : http.post(url, resolver));
  return seen;
}

const started = () => HttpResponse.json({ name: EXECUTION, id: `${JOB_ID}/executions/${EXECUTION}` });
const execution = (status: string) => () =>
  HttpResponse.json({ name: EXECUTION, properties: { status, startTime: '2025-06-01T10:00:05+00:00' } });
const armError =
  (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  () =>
    HttpResponse.json({ error: { code, message } }, { status, headers });

describe('starting an execution', () => {
  test('POSTs the start with api-version, the bearer token and a template carrying the request', async () => {
    const seen = script('post', START, [started]);
    const { dispatcher, credential } = setup();
    await expect(dispatcher.dispatch(request)).resolves.toEqual({ executionName: EXECUTION });

    expect(credential.scopes).toEqual([['https://management.azure.com/.default']]);
    expect(seen).toHaveLength(1);
    const [call] = seen;
    expect(call?.method).toBe('POST');
    expect(call?.url.pathname).toBe(`${JOB_ID}/start`);
    expect(Object.fromEntries(call?.url.searchParams ?? [])).toEqual({ 'api-version': '2025-07-01' });
    expect(call?.authorization).toBe('Bearer fake-arm-token');
    const body = call?.body as {
      containers: { name: string; image: string; args: string[]; env: { name: string; value: string }[] }[];
    };
    expect(body.containers).toHaveLength(1);
    const container = body.containers[0];
    expect(container).toMatchObject({
      name: 'azl-build',
      image: 'azlacr.azurecr.io/azl-rebuilder:1.2.3',
      args: ['worker', 'build'],
      resources: { cpu: 2, memory: '4Gi' },
    });
    const env = Object.fromEntries((container?.env ?? []).map((v) => [v.name, v.value]));
    expect(Object.keys(env).sort()).toEqual([
      'AZL_BUILD_REQUEST',
      'AZL_BUILD_RESULTS_QUEUE',
      'ServiceBusConnection__fullyQualifiedNamespace',
    ]);
    expect(env.AZL_BUILD_RESULTS_QUEUE).toBe('build-results');
    expect(JSON.parse(Buffer.from(env.AZL_BUILD_REQUEST ?? '', 'base64').toString('utf8'))).toEqual(request);
  });

  test('takes the execution name from the id when the body has no name', async () => {
    script('post', START, [() => HttpResponse.json({ id: `${JOB_ID}/executions/azl-build-q1w2e3r` })]);
    await expect(setup().dispatcher.dispatch(request)).resolves.toEqual({
      executionName: 'azl-build-q1w2e3r',
    });
  });

  test('follows a 202 through its Location, after Retry-After, until the execution is named', async () => {
    const location = `${ARM}/subscriptions/${SUBSCRIPTION}/providers/Microsoft.App/locations/westeurope/jobOperationResults/op-1`;
    script('post', START, [
      () => new HttpResponse(null, { status: 202, headers: { location, 'retry-after': '3' } }),
    ]);
    const follows = script('get', location.split('?')[0] ?? location, [
      () => new HttpResponse(null, { status: 202, headers: { location, 'retry-after': '2' } }),
      started,
    ]);
    const { dispatcher, waits } = setup();
    await expect(dispatcher.dispatch(request)).resolves.toEqual({ executionName: EXECUTION });
    expect(follows.map((f) => f.authorization)).toEqual(['Bearer fake-arm-token', 'Bearer fake-arm-token']);
    expect(waits).toEqual([3_000, 2_000]);
  });

  test('a throttled follow is repeated after its Retry-After, without a second start', async () => {
    const location = `${ARM}/subscriptions/${SUBSCRIPTION}/providers/Microsoft.App/locations/westeurope/jobOperationResults/op-2`;
    const starts = script('post', START, [
      () => new HttpResponse(null, { status: 202, headers: { location, 'retry-after': '1' } }),
    ]);
    const follows = script('get', location, [
      armError(429, 'TooManyRequests', 'slow down', { 'retry-after': '9' }),
      started,
    ]);
    const { dispatcher, waits } = setup();
    await expect(dispatcher.dispatch(request)).resolves.toEqual({ executionName: EXECUTION });
    expect(starts).toHaveLength(1);
    expect(follows).toHaveLength(2);
    expect(follows.map((f) => f.url.searchParams.get('api-version'))).toEqual(['2025-07-01', '2025-07-01']);
    expect(waits).toEqual([1_000, 9_000]);
  });

  test('a start that stays pending past maxStartPolls is a transient arm.start-pending', async () => {
    const location = `${ARM}/subscriptions/${SUBSCRIPTION}/providers/Microsoft.App/locations/westeurope/jobOperationResults/op-3`;
    script('post', START, [() => new HttpResponse(null, { status: 202, headers: { location } })]);
    const follows = script('get', location, [
      () => new HttpResponse(null, { status: 202, headers: { location } }),
    ]);
    const { dispatcher, waits } = setup({ maxStartPolls: 3 });
    const error = await failure(dispatcher.dispatch(request));
    expect([error.code, error.retryable, error.context.polls]).toEqual(['arm.start-pending', true, 3]);
    expect(follows).toHaveLength(3);
    expect(waits).toEqual([1_000, 1_000, 1_000]);
  });

  test('refuses to send the token to a Location outside the ARM endpoint', async () => {
    script('post', START, [
      () => new HttpResponse(null, { status: 202, headers: { location: 'https://attacker.example/op' } }),
    ]);
    const error = await failure(setup().dispatcher.dispatch(request));
    expect(error.code).toBe('arm.malformed-response');
    expect(error.message).toMatch(/outside https:\/\/management\.azure\.com/);
  });

  test('a 403 with an ARM error body is permanent and names the ARM code; it is not retried', async () => {
    const seen = script('post', START, [
      armError(
        403,
        'AuthorizationFailed',
        "The client 'x' does not have authorization to perform action 'Microsoft.App/jobs/start/action'",
      ),
    ]);
    const error = await failure(setup().dispatcher.dispatch(request));
    expect(error.code).toBe('arm.forbidden');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/HTTP 403 AuthorizationFailed: The client 'x' does not have authorization/);
    expect(error.context).toMatchObject({ armCode: 'AuthorizationFailed', status: 403, job: 'azl-build' });
    expect(seen).toHaveLength(1);
  });

  test('a 404 for a job that does not exist is permanent', async () => {
    script('post', START, [
      armError(404, 'ResourceNotFound', "The Resource 'Microsoft.App/jobs/azl-build' was not found"),
    ]);
    const error = await failure(setup().dispatcher.dispatch(request));
    expect([error.code, error.retryable, error.context.armCode]).toEqual([
      'arm.not-found',
      false,
      'ResourceNotFound',
    ]);
  });

  test('throttling: waits Retry-After, then starts', async () => {
    const seen = script('post', START, [
      armError(429, 'TooManyRequests', 'Rate limit exceeded', { 'retry-after': '7' }),
      started,
    ]);
    const { dispatcher, waits } = setup();
    await expect(dispatcher.dispatch(request)).resolves.toEqual({ executionName: EXECUTION });
    expect(seen).toHaveLength(2);
    expect(waits).toEqual([7_000]);
  });

  test('throttling that outlasts the retry bound ends in a transient error with the last Retry-After', async () => {
    const seen = script('post', START, [
      armError(429, 'TooManyRequests', 'Rate limit exceeded', { 'retry-after': '90' }),
    ]);
    const { dispatcher, waits } = setup();
    const error = await failure(dispatcher.dispatch(request));
    expect(error.code).toBe('arm.throttled');
    expect(error.retryable).toBe(true);
    expect(error.context).toMatchObject({ retryAfterMs: 90_000, retries: 2, armCode: 'TooManyRequests' });
    expect(seen).toHaveLength(3);
    expect(waits).toEqual([60_000, 60_000]);
  });

  test('a 500 is transient and not repeated at once (the start may have been taken)', async () => {
    const seen = script('post', START, [armError(500, 'InternalServerError', 'Something went wrong')]);
    const error = await failure(setup().dispatcher.dispatch(request));
    expect([error.code, error.retryable]).toEqual(['arm.unavailable', true]);
    expect(seen).toHaveLength(1);
  });

  test('a failed connection is transient', async () => {
    script('post', START, [() => HttpResponse.error()]);
    const error = await failure(setup().dispatcher.dispatch(request));
    expect([error.code, error.retryable]).toEqual(['arm.network', true]);
  });

  test('no token: transient, and nothing is sent to ARM', async () => {
    const seen = script('post', START, [started]);
    const noIdentity: TokenCredential = {
      getToken: () =>
        Promise.reject(new Error('ManagedIdentityCredential: no managed identity endpoint found')),
    };
    const withoutToken = new ContainerAppsJobDispatcher({
      client: new JobsClient({ endpoint: ARM, credential: noIdentity, subscriptionId: SUBSCRIPTION }),
      settings: { job: dispatcherJob(), image: 'img:1', containerName: 'azl-build' },
    });
    const error = await failure(withoutToken.dispatch(request));
    expect([error.code, error.retryable]).toEqual(['arm.token-unavailable', true]);
    expect(error.message).toMatch(/no managed identity endpoint found/);
    expect(error.context.scope).toBe('https://management.azure.com/.default');
    expect(seen).toHaveLength(0);
  });

  test('an ARM that does not answer in time is a transient timeout', async () => {
    server.use(
      http.post(START, async () => {
        await delay('infinite');
        return started();
      }),
    );
    const slow = new ContainerAppsJobDispatcher({
      client: new JobsClient({
        endpoint: ARM,
        credential: new FakeArmCredential(),
        subscriptionId: SUBSCRIPTION,
        timeoutMs: 50,
      }),
      settings: { job: dispatcherJob(), image: 'img:1', containerName: 'azl-build' },
    });
    const error = await failure(slow.dispatch(request));
    expect([error.code, error.retryable, error.context.timeoutMs]).toEqual(['arm.timeout', true, 50]);
  });

  test.each([
    [
      'a body that is not JSON',
      () => new HttpResponse('<html>gateway</html>', { status: 200 }),
      /not JSON: <html>/,
    ],
    ['JSON without a name or id', () => HttpResponse.json({ properties: {} }), /without an execution name/],
    [
      'a name that is no execution name',
      () => HttpResponse.json({ name: '../../etc' }),
      /without an execution name/,
    ],
  ])('a malformed start answer (%s) is a clear error', async (_why, answer, message) => {
    script('post', START, [answer]);
    const error = await failure(setup().dispatcher.dispatch(request));
    expect(error.code).toBe('arm.malformed-response');
    expect(error.message).toMatch(/^ARM start execution answered/);
    expect(error.message).toMatch(message);
  });
});

describe('waiting for an execution', () => {
  const wait = { pollIntervalMs: 15_000, timeoutMs: 3_600_000 };

  test('polls through Running and Processing until Succeeded', async () => {
    const seen = script('get', EXECUTION_URL, [
      execution('Running'),
      execution('Processing'),
      execution('Succeeded'),
    ]);
    const { dispatcher, waits } = setup();
    const status = await dispatcher.waitForExecution(EXECUTION, wait);
    expect(status).toMatchObject({
      executionName: EXECUTION,
      state: 'succeeded',
      final: true,
      armStatus: 'Succeeded',
    });
    expect(seen.map((s) => s.url.searchParams.get('api-version'))).toEqual([
      '2025-07-01',
      '2025-07-01',
      '2025-07-01',
    ]);
    expect(waits).toEqual([15_000, 15_000]);
  });

  test('ends with failed when the execution fails', async () => {
    script('get', EXECUTION_URL, [execution('Running'), execution('Failed')]);
    const status = await setup().dispatcher.waitForExecution(EXECUTION, wait);
    expect(status).toMatchObject({ state: 'failed', final: true, armStatus: 'Failed' });
  });

  test('a throttled poll waits Retry-After and keeps polling', async () => {
    script('get', EXECUTION_URL, [
      armError(429, 'TooManyRequests', 'slow down', { 'retry-after': '30' }),
      execution('Succeeded'),
    ]);
    const { dispatcher, waits } = setup();
    await expect(dispatcher.waitForExecution(EXECUTION, wait)).resolves.toMatchObject({ state: 'succeeded' });
    expect(waits).toEqual([30_000]);
  });

  test('gives up, transiently, when the execution outlasts the timeout', async () => {
    script('get', EXECUTION_URL, [execution('Running')]);
    const error = await failure(
      setup().dispatcher.waitForExecution(EXECUTION, { pollIntervalMs: 10_000, timeoutMs: 35_000 }),
    );
    expect([error.code, error.retryable]).toEqual(['arm.execution-wait-timeout', true]);
    expect(error.context).toMatchObject({ executionName: EXECUTION, timeoutMs: 35_000 });
  });

  test('an unknown execution ends the wait with a permanent error', async () => {
    script('get', EXECUTION_URL, [armError(404, 'ResourceNotFound', 'execution not found')]);
    const error = await failure(setup().dispatcher.waitForExecution(EXECUTION, wait));
    expect([error.code, error.retryable]).toEqual(['arm.not-found', false]);
  });

  test('an execution body without a name is a clear error naming the field', async () => {
    script('get', EXECUTION_URL, [() => HttpResponse.json({ properties: { status: 'Running' } })]);
    const error = await failure(setup().dispatcher.waitForExecution(EXECUTION, wait));
    expect(error.code).toBe('arm.malformed-response');
    expect(error.message).toMatch(/ARM get execution answered a body that is not a job execution \(name:/);
  });

  test('stops when its signal aborts', async () => {
    script('get', EXECUTION_URL, [execution('Running')]);
    const controller = new AbortController();
    const { dispatcher } = setup({
      sleep: () => {
        controller.abort();
        return Promise.resolve();
      },
    });
    const error = await failure(
      dispatcher.waitForExecution(EXECUTION, { ...wait, signal: controller.signal }),
    );
    expect(error.code).toBe('arm.wait-aborted');
  });
});

test('ARM execution statuses: Succeeded, Failed/Degraded and Stopped are final; the rest are not', () => {
  const states = [
    'Running',
    'Processing',
    'Unknown',
    'Succeeded',
    'Failed',
    'Degraded',
    'Stopped',
    undefined,
  ].map(mapExecutionStatus);
  expect(states).toEqual([
    'running',
    'running',
    'running',
    'succeeded',
    'failed',
    'failed',
    'stopped',
    'running',
  ]);
});

import { http, HttpResponse } from 'msw';
import type { HttpResponseResolver } from 'msw';
import { describe, expect, test } from 'vitest';
import { ContainerAppsImageDispatcher } from '../../../infra/images/container-apps-image-dispatcher';
import type { ContainerAppsImageDispatcherOptions } from '../../../infra/images/container-apps-image-dispatcher';
import { JobsClient } from '../../../infra/builders/container-apps';
import { IMAGE_JOB_REQUEST_ENV, readImageJobRequest } from '../../../infra/images/image-job-contract';
import { imageJobRequestSchema } from '../../../shared/images/image-job-request';
import { FakeArmCredential } from '../../../testing/arm/fake-credential';
import { failure } from '../../../testing/failures';
import { useMsw } from '../../../testing/msw';

/**
 * The cloud image build's ARM calls, made by `@azure/arm-appcontainers` through the package builder's job
 * dispatcher, against an msw stand-in for management.azure.com (the Microsoft.App 2025-07-01 examples'
 * shapes: Job_Start.json, Job_Execution_Get.json): the start template sent (image, args, env), ARM's 202 with
 * its Location followed, and what an execution's end means for the image build.
 */
const server = useMsw();

const ARM = 'https://management.azure.com';
const SUBSCRIPTION = '34adfa4f-cedf-4dc0-ba29-b6d1a69ab345';
const JOB_ID = `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-azl/providers/Microsoft.App/jobs/azl-image-build`;
const START = `${ARM}${JOB_ID}/start`;
const EXECUTION = 'azl-image-build-x7k2p9q';
const EXECUTION_URL = `${ARM}${JOB_ID}/executions/${EXECUTION}`;
const LOCATION = `${ARM}/subscriptions/${SUBSCRIPTION}/providers/Microsoft.App/locations/westeurope/jobOperationResults/op-img`;

const request = imageJobRequestSchema.parse({
  image: 'vm-base',
  version: '4.0.20250601.3',
  arch: 'x86_64',
  profiles: [],
  fingerprint: `sha256:${'5a'.repeat(32)}`,
  repositories: [
    {
      repository: 'base/x86_64',
      revision: 12,
      baseUrl: 'https://stazl.blob.core.windows.net/repos/base/x86_64/',
    },
    {
      repository: 'base/noarch',
      revision: 3,
      baseUrl: 'https://stazl.blob.core.windows.net/repos/base/noarch/',
    },
  ],
  allowMissing: true,
  output: { container: 'images', vhdBlobName: 'vm-base/4.0.20250601.3/vm-base-4.0.20250601.3.vhd' },
});

interface Seen {
  readonly url: URL;
  readonly authorization: string | null;
  readonly body: unknown;
}

interface SentContainer {
  name: string;
  image: string;
  args: string[];
  env: { name: string; value: string }[];
  resources?: { cpu: number; memory: string };
}

function setup(overrides: Partial<ContainerAppsImageDispatcherOptions> = {}) {
  const credential = new FakeArmCredential();
  let clock = 5_000_000;
  const waits: number[] = [];
  const dispatcher = new ContainerAppsImageDispatcher({
    client: new JobsClient({ endpoint: ARM, credential, subscriptionId: SUBSCRIPTION }),
    settings: {
      job: {
        resourceId: JOB_ID,
        subscriptionId: SUBSCRIPTION,
        resourceGroup: 'rg-azl',
        jobName: 'azl-image-build',
      },
      image: 'azlacr.azurecr.io/azl-rebuilder-image-builder:9',
      containerName: 'azl-image-build',
      resources: { cpu: 4, memory: '8Gi' },
    },
    env: {
      AzureWebJobsStorage__accountName: 'stazl',
      AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
      // A forwarded variable of the same name never replaces the request.
      [IMAGE_JOB_REQUEST_ENV]: 'stale',
    },
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

const accepted = (retryAfter: string) => () =>
  new HttpResponse(null, { status: 202, headers: { location: LOCATION, 'retry-after': retryAfter } });
const started = () => HttpResponse.json({ name: EXECUTION, id: `${JOB_ID}/executions/${EXECUTION}` });
const execution = (status: string) => () =>
  HttpResponse.json({
    name: EXECUTION,
    properties: {
      status,
      startTime: '2025-06-01T10:00:05+00:00',
      ...(status === 'Running' ? {} : { endTime: '2025-06-01T10:41:30+00:00' }),
    },
  });
const armError = (status: number, code: string, message: string) => () =>
  HttpResponse.json({ error: { code, message } }, { status });

const wait = { pollIntervalMs: 30_000, timeoutMs: 3 * 3_600_000 };

describe('starting an image build execution', () => {
  test('sends the image builder container with `worker image` args and the request in its env', async () => {
    const starts = script('post', START, [started]);
    const { dispatcher, credential } = setup();
    await expect(dispatcher.start(request)).resolves.toEqual({ executionName: EXECUTION });

    expect(credential.scopes).toEqual([['https://management.azure.com/.default']]);
    expect(starts).toHaveLength(1);
    const [call] = starts;
    expect(call?.url.pathname).toBe(`${JOB_ID}/start`);
    expect(call?.url.searchParams.get('api-version')).toBe('2025-07-01');
    expect(call?.authorization).toBe('Bearer fake-arm-token');
    const { containers } = call?.body as { containers: SentContainer[] };
    expect(containers).toHaveLength(1);
    const container = containers[0];
    expect(container).toMatchObject({
      name: 'azl-image-build',
      image: 'azlacr.azurecr.io/azl-rebuilder-image-builder:9',
      args: ['worker', 'image', '--image', 'vm-base', '--version', '4.0.20250601.3'],
      resources: { cpu: 4, memory: '8Gi' },
    });
    const env = Object.fromEntries((container?.env ?? []).map((v) => [v.name, v.value]));
    expect(Object.keys(env).sort()).toEqual([
      'AZL_IMAGE_JOB_REQUEST',
      'AZURE_CLIENT_ID',
      'AzureWebJobsStorage__accountName',
    ]);
    // What arrived is what the worker reads: the same request, repositories and output location.
    expect(readImageJobRequest(container?.args.slice(2) ?? [], env)).toEqual(request);
  });

  test("follows ARM's 202 through its Location after Retry-After, starting once", async () => {
    const starts = script('post', START, [accepted('5')]);
    const follows = script('get', LOCATION, [accepted('2'), started]);
    const { dispatcher, waits } = setup();
    await expect(dispatcher.start(request)).resolves.toEqual({ executionName: EXECUTION });
    expect(starts).toHaveLength(1);
    expect(follows.map((f) => f.authorization)).toEqual(['Bearer fake-arm-token', 'Bearer fake-arm-token']);
    expect(waits).toEqual([5_000, 2_000]);
  });

  test('a start still pending after maxStartPolls names the image in its transient error', async () => {
    script('post', START, [accepted('1')]);
    script('get', LOCATION, [accepted('1')]);
    const error = await failure(setup({ maxStartPolls: 2 }).dispatcher.start(request));
    expect([error.code, error.retryable]).toEqual(['arm.start-pending', true]);
    expect(error.context).toMatchObject({
      job: 'azl-image-build',
      image: 'vm-base',
      version: '4.0.20250601.3',
    });
  });

  test.each([
    [403, 'AuthorizationFailed', 'arm.forbidden', false],
    [404, 'ResourceNotFound', 'arm.not-found', false],
    [409, 'JobExecutionLimitReached', 'arm.conflict', false],
    [503, 'ServiceUnavailable', 'arm.unavailable', true],
  ] as const)(
    'ARM answering %i %s is %s (retryable %s), with no second start',
    async (status, armCode, code, retryable) => {
      const starts = script('post', START, [armError(status, armCode, `${armCode} for the job`)]);
      const error = await failure(setup().dispatcher.start(request));
      expect([error.code, error.retryable, error.context.armCode]).toEqual([code, retryable, armCode]);
      expect(starts).toHaveLength(1);
    },
  );
});

describe('an image build to its end', () => {
  test('Succeeded: built, with the execution times', async () => {
    script('post', START, [accepted('1')]);
    script('get', LOCATION, [started]);
    const polls = script('get', EXECUTION_URL, [
      execution('Running'),
      execution('Running'),
      execution('Succeeded'),
    ]);
    const { dispatcher, waits } = setup();
    await expect(dispatcher.build(request, wait)).resolves.toEqual({
      outcome: 'built',
      executionName: EXECUTION,
      startTime: '2025-06-01T10:00:05.000Z',
      endTime: '2025-06-01T10:41:30.000Z',
    });
    expect(polls).toHaveLength(3);
    expect(waits).toEqual([1_000, 30_000, 30_000]);
  });

  test.each(['Failed', 'Degraded'])(
    '%s: failed with the permanent image.build-execution-failed',
    async (status) => {
      script('post', START, [started]);
      script('get', EXECUTION_URL, [execution('Running'), execution(status)]);
      const outcome = await setup().dispatcher.build(request, wait);
      expect(outcome.outcome).toBe('failed');
      if (outcome.outcome !== 'failed') return;
      expect([outcome.error.code, outcome.error.retryable]).toEqual(['image.build-execution-failed', false]);
      expect(outcome.error.message).toContain(
        `vm-base 4.0.20250601.3 (execution ${EXECUTION} of azl-image-build)`,
      );
      expect(outcome.error.context).toMatchObject({ executionName: EXECUTION, armStatus: status });
      expect(outcome.endTime).toBe('2025-06-01T10:41:30.000Z');
    },
  );

  test('Stopped: failed with the transient image.build-execution-stopped', async () => {
    script('post', START, [started]);
    script('get', EXECUTION_URL, [execution('Stopped')]);
    const outcome = await setup().dispatcher.build(request, wait);
    expect(outcome.outcome === 'failed' && [outcome.error.code, outcome.error.retryable]).toEqual([
      'image.build-execution-stopped',
      true,
    ]);
  });

  test('an execution that outlasts the wait is the transient arm.execution-wait-timeout', async () => {
    script('post', START, [started]);
    script('get', EXECUTION_URL, [execution('Running')]);
    const error = await failure(
      setup().dispatcher.build(request, { pollIntervalMs: 60_000, timeoutMs: 150_000 }),
    );
    expect([error.code, error.retryable]).toEqual(['arm.execution-wait-timeout', true]);
  });

  test('an execution ARM no longer knows ends the wait with the permanent arm.not-found', async () => {
    const polls = script('get', EXECUTION_URL, [armError(404, 'ResourceNotFound', 'no such execution')]);
    const error = await failure(setup().dispatcher.waitForOutcome(request, EXECUTION, wait));
    expect([error.code, error.retryable]).toEqual(['arm.not-found', false]);
    expect(polls).toHaveLength(1);
  });
});

import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  buildResultsQueueFromEnv,
  encodeBuildRequest,
  readBuildRequestFromEnv,
  reportBuildResult,
} from '../../../infra/builders/container-apps';
import { startBroker } from '../../../infra/local/broker/broker';
import type { RunningBroker } from '../../../infra/local/broker/broker';
import {
  closeServiceBusClient,
  createServiceBusClient,
  MessageReceiver,
  MessageSender,
} from '../../../infra/servicebus';
import type { ServiceBusClient } from '../../../infra/servicebus';
import { buildRequestSchema, buildResultSchema } from '../../../shared/build';
import type { BuildResult } from '../../../shared/build';
import { PipelineError } from '../../../shared/errors';
import { queues } from '../../../shared/messaging/entities';

const FINGERPRINT = `sha256:${'cd'.repeat(32)}`;

const result: BuildResult = {
  component: 'zlib-ng',
  fingerprint: FINGERPRINT,
  planId: 'plan-42',
  executionName: 'azl-build-pjxhsye',
  builder: 'rpmbuild',
  state: 'succeeded',
  artifacts: [
    {
      blobPath: `zlib-ng/${FINGERPRINT}/zlib-ng-2.2.4-1.azl4.src.rpm`,
      sha256: 'e3'.repeat(32),
      size: 2_048,
      kind: 'srpm',
    },
    {
      blobPath: `zlib-ng/${FINGERPRINT}/zlib-ng-2.2.4-1.azl4.x86_64.rpm`,
      sha256: '4f'.repeat(32),
      size: 96_000,
      kind: 'rpm',
    },
  ],
  nevras: ['zlib-ng-0:2.2.4-1.azl4.x86_64'],
  startedAt: '2025-06-01T10:00:05Z',
  finishedAt: '2025-06-01T10:04:40Z',
};

describe('reporting a build result to the local broker', () => {
  let broker: RunningBroker;
  let client: ServiceBusClient;
  beforeAll(async () => {
    broker = await startBroker({ entities: [queues.buildResults], tickMs: 50 });
    client = createServiceBusClient(
      { kind: 'connectionString', connectionString: broker.connectionString },
      { maxRetries: 1, retryDelayMs: 50, timeoutMs: 3_000 },
    );
  });
  afterAll(async () => {
    await closeServiceBusClient(client);
    await broker.stop();
  });

  test('sends one valid build-results message; a second report of the same result is dropped', async () => {
    const queue = buildResultsQueueFromEnv({});
    expect(queue).toBe('build-results');
    const sender = new MessageSender(client, { queue });
    const first = await reportBuildResult(sender, result);
    const again = await reportBuildResult(sender, result);
    await sender.close();
    expect(first.messageId).toBe(`${FINGERPRINT}:azl-build-pjxhsye`);
    expect(again.messageId).toBe(first.messageId);

    const receiver = new MessageReceiver(client, { queue });
    const received = await receiver.receive(10, 2_000);
    expect(received.map((m) => m.messageId)).toEqual([first.messageId]);
    const [message] = received;
    expect(buildResultSchema.parse(message?.body)).toEqual(result);
    expect(message?.subject).toBe('build.succeeded');
    expect(message?.correlationId).toBe('plan-42');
    expect(message?.applicationProperties).toMatchObject({ component: 'zlib-ng', state: 'succeeded' });
    await message?.complete();
    expect(await receiver.receive(10, 500)).toEqual([]);
    await receiver.close();
  });

  test('a failed result without its code is refused before anything is sent', async () => {
    const sent: unknown[] = [];
    const sender = { send: (m: unknown) => Promise.resolve(void sent.push(m)) };
    const failed = { ...result, state: 'failed' as const, artifacts: [], nevras: [] };
    const error = await reportBuildResult(sender, failed).catch((e: unknown) => e);
    expect(PipelineError.is(error, 'build.result-invalid')).toBe(true);
    expect((error as PipelineError).context).toMatchObject({ field: 'code', component: 'zlib-ng' });
    expect(sent).toEqual([]);
  });
});

describe('readBuildRequestFromEnv', () => {
  const request = buildRequestSchema.parse({
    planId: 'plan-42',
    component: 'zlib-ng',
    fingerprint: FINGERPRINT,
    wave: 1,
    priority: 5,
    reasons: [],
    requestedAt: '2025-06-01T10:00:00Z',
    attempt: 2,
  });

  test('decodes what the dispatcher encodes', () => {
    expect(readBuildRequestFromEnv({ AZL_BUILD_REQUEST: encodeBuildRequest(request) })).toEqual(request);
  });

  const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');
  test.each([
    ['missing', undefined, /^AZL_BUILD_REQUEST: missing/],
    ['blank', '  ', /^AZL_BUILD_REQUEST: missing/],
    ['not base64', '{"planId":"p"}', /^AZL_BUILD_REQUEST: is not base64$/],
    ['base64 of text that is not JSON', Buffer.from('hello world').toString('base64'), /not of JSON/],
    [
      'a request with a bad fingerprint',
      base64({ ...request, fingerprint: 'md5:00' }),
      /^AZL_BUILD_REQUEST: is not a build request: fingerprint: a fingerprint is sha256/,
    ],
    ['a request without its component', base64({ ...request, component: undefined }), /: component: /],
  ])('rejects %s, naming AZL_BUILD_REQUEST', (_why, value, message) => {
    let error: unknown;
    try {
      readBuildRequestFromEnv({ AZL_BUILD_REQUEST: value });
    } catch (e) {
      error = e;
    }
    expect(PipelineError.is(error, 'build.request-invalid')).toBe(true);
    const pipelineError = error as PipelineError;
    expect(pipelineError.message).toMatch(message);
    expect(pipelineError.retryable).toBe(false);
    expect(pipelineError.context.variable).toBe('AZL_BUILD_REQUEST');
  });
});

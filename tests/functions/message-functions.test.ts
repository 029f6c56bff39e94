import { InvocationContext } from '@azure/functions';
import { describe, expect, test } from 'vitest';
import { buildFunction } from '../../functions/build';
import { buildResultsFunction } from '../../functions/build-results';
import { planFunction } from '../../functions/plan';
import { publishFunction } from '../../functions/publish';
import type { BuildRequest, BuildRequestInput, BuildResult } from '../../shared/build';
import type { BuildHandled } from '../../shared/build-worker';
import { newBuildRecord } from '../../shared/build-worker/build-record';
import { PipelineError } from '../../shared/errors';
import { repositoryAccess } from '../../shared/publishing';
import type { UpstreamEvent } from '../../shared/fedora/upstream-event';
import type { PassResult } from '../../shared/planning-pass';
import type { PublishOutcome, PublishRequest } from '../../shared/publishing';
import type { Services } from '../../shared/services';
import { fakeServices } from '../../testing/fakes/services';
import { capturedLogs } from './captured-logs';
import { taggedEvent } from '../../testing/fixtures/upstream-events';

/**
 * The four Service Bus functions over fakes at their ports: each hands the parsed message to its port and
 * writes one line per message, a fixed message whose varying parts are fields (so the lines group).
 */
const fingerprint = (digit: string) => `sha256:${digit.repeat(64)}`;

const context = (functionName: string, messageId: string, sessionId?: string) =>
  new InvocationContext({
    invocationId: `inv-${messageId}`,
    functionName,
    triggerMetadata: { messageId, deliveryCount: 1, ...(sessionId ? { sessionId } : {}) },
    logHandler: () => undefined,
  });

function withLogs(over: Partial<Services>) {
  const { logger, lines } = capturedLogs();
  const services = fakeServices({ ...over, logger });
  return { provider: () => Promise.resolve(services), lines };
}

/** Every line has the same message; what differed between the invocations is in the fields. */
function expectOneMessage(lines: readonly { msg: string }[], msg: string, count: number): void {
  expect(lines.map((l) => l.msg)).toEqual(Array<string>(count).fill(msg));
}

describe('plan', () => {
  const event = (id: string): UpstreamEvent => taggedEvent(id);
  const planned = (planId: string): PassResult => ({
    ran: true,
    held: 2,
    record: {
      planId,
      createdAt: '2026-11-01T10:00:01.000Z',
      messageIds: [],
      modelVersion: 'm',
      indexVersion: 'i',
      planned: [],
      skipped: [],
      cycles: [],
    },
  });

  test('a planned event and a pending one: the event goes to planning, one line each with its fields', async () => {
    const accepted: UpstreamEvent[] = [];
    const results: PassResult[] = [planned('plan-1'), planned('plan-2'), { ran: false, why: 'busy' }];
    const { provider, lines } = withLogs({
      planning: {
        accept: (e) => (accepted.push(e), Promise.resolve(results.shift()!)),
        runPass: () => Promise.resolve({ ran: false, why: 'busy' }),
      },
    });
    const handler = planFunction(provider).handler;
    for (const id of ['e1', 'e2', 'e3']) await handler(event(id), context('plan', id));

    expect(accepted.map((e) => e.messageId)).toEqual(['e1', 'e2', 'e3']);
    expectOneMessage(lines.slice(0, 2), 'event planned', 2);
    expect(lines.slice(0, 2)).toEqual([
      expect.objectContaining({ eventId: 'e1', planId: 'plan-1', builds: 0, held: 2, messageId: 'e1' }),
      expect.objectContaining({ eventId: 'e2', planId: 'plan-2', builds: 0, held: 2, messageId: 'e2' }),
    ]);
    expect(lines[2]).toMatchObject({ msg: 'event kept pending', eventId: 'e3', why: 'busy' });
  });
});

describe('publish', () => {
  const request = (repository: string): PublishRequest => ({
    repository,
    component: 'curl',
    fingerprint: fingerprint('a'),
    buildId: 'b1',
    packages: [
      {
        artifactBlob: `curl/${fingerprint('a')}/curl-8.9.1-2.azl4.x86_64.rpm`,
        fileName: 'curl-8.9.1-2.azl4.x86_64.rpm',
        sha256: 'b'.repeat(64),
        size: 1000,
        nevra: 'curl-8.9.1-2.azl4.x86_64',
      },
    ],
    requestedAt: '2026-12-01T10:00:00Z',
  });
  const outcome = (r: PublishRequest, changed: boolean): PublishOutcome => ({
    repository: r.repository,
    revision: 4,
    packages: 1,
    changed,
    added: changed ? ['curl-8.9.1-2.azl4.x86_64'] : [],
    removed: [],
    requests: [],
    ...repositoryAccess(r.repository, 'http://127.0.0.1/u/'),
  });

  test('a new revision and a request already published: one line each, the repository in the fields', async () => {
    const { provider, lines } = withLogs({
      publisher: {
        ...fakeServices().publisher,
        publish: (r) => Promise.resolve(outcome(r, r.repository !== 'base/srpms')),
      },
    });
    const handler = publishFunction(provider).handler;
    await handler(request('base/x86_64'), context('publish', 'p1', 'base/x86_64'));
    await handler(request('base/aarch64'), context('publish', 'p2', 'base/aarch64'));
    await handler(request('base/srpms'), context('publish', 'p3', 'base/srpms'));

    expectOneMessage(lines.slice(0, 2), 'repository published', 2);
    expect(lines.map((l) => [l['repository'], l['revision'], l['added'], l['sessionId']])).toEqual([
      ['base/x86_64', 4, 1, 'base/x86_64'],
      ['base/aarch64', 4, 1, 'base/aarch64'],
      ['base/srpms', 4, undefined, 'base/srpms'],
    ]);
    expect(lines[2]).toMatchObject({ msg: 'request already published', fingerprint: fingerprint('a') });
  });
});

describe('build', () => {
  const request = (component: string, digit: string): BuildRequestInput => ({
    planId: 'plan-1',
    component,
    fingerprint: fingerprint(digit),
    wave: 0,
    priority: 300,
    reasons: [],
    requestedAt: '2026-12-01T10:00:00Z',
  });

  test('the parsed request goes to the worker; the outcome is a field of one fixed line', async () => {
    const handled: BuildRequest[] = [];
    const { provider, lines } = withLogs({
      buildWorker: {
        handle: (r): Promise<BuildHandled> => {
          handled.push(r);
          if (r.component === 'zlib-ng') return Promise.resolve({ outcome: 'waiting' });
          const record = { ...newBuildRecord(r, '2026-12-01T10:00:00Z'), state: 'succeeded' as const };
          return Promise.resolve({ outcome: 'finished', record });
        },
        acceptResult: () => Promise.resolve({ outcome: 'dispatched' }),
      },
    });
    const handler = buildFunction(provider).handler;
    await handler(request('curl', 'b'), context('build', 'b1', 'curl'));
    await handler(request('zlib-ng', 'c'), context('build', 'b2', 'zlib-ng'));

    expect(handled.map((r) => [r.component, r.attempt])).toEqual([
      ['curl', 1],
      ['zlib-ng', 1],
    ]);
    expectOneMessage(lines, 'build handled', 2);
    expect(lines).toEqual([
      expect.objectContaining({
        component: 'curl',
        fingerprint: fingerprint('b'),
        attempt: 1,
        outcome: 'succeeded',
        sessionId: 'curl',
      }),
      expect.objectContaining({ component: 'zlib-ng', fingerprint: fingerprint('c'), outcome: 'waiting' }),
    ]);
  });

  test('without a build worker the message fails transiently, naming the component', async () => {
    const { provider } = withLogs({});
    await expect(
      buildFunction(provider).handler(request('curl', 'b'), context('build', 'b1', 'curl')),
    ).rejects.toMatchObject({
      code: 'build.not-configured',
      retryable: true,
      context: { component: 'curl' },
    });
  });
});

describe('buildResults', () => {
  const result = (component: string, state: 'succeeded' | 'failed'): BuildResult => ({
    component,
    fingerprint: fingerprint('d'),
    planId: 'plan-1',
    executionName: `job-${component}`,
    builder: 'rpmbuild',
    state,
    ...(state === 'failed' ? { code: 'build.compile-error', retryable: false } : {}),
    artifacts: [],
    nevras: [],
    startedAt: '2026-12-01T10:00:00Z',
    finishedAt: '2026-12-01T10:05:00Z',
  });

  test('the result goes to the worker; one fixed line per result, its state and outcome as fields', async () => {
    const accepted: BuildResult[] = [];
    const { provider, lines } = withLogs({
      buildWorker: {
        handle: () => Promise.resolve({ outcome: 'dispatched' }),
        acceptResult: (r) => (accepted.push(r), Promise.resolve({ outcome: 'already-final' })),
      },
    });
    const handler = buildResultsFunction(provider).handler;
    await handler(result('curl', 'succeeded'), context('buildResults', 'r1'));
    await handler(result('bash', 'failed'), context('buildResults', 'r2'));

    expect(accepted.map((r) => r.component)).toEqual(['curl', 'bash']);
    expectOneMessage(lines, 'build result handled', 2);
    expect(lines.map((l) => [l['component'], l['executionName'], l['state'], l['outcome']])).toEqual([
      ['curl', 'job-curl', 'succeeded', 'already-final'],
      ['bash', 'job-bash', 'failed', 'already-final'],
    ]);
  });

  test('a result that does not fit its schema is refused as permanent before the worker sees it', async () => {
    const accepted: BuildResult[] = [];
    const { provider } = withLogs({
      buildWorker: {
        handle: () => Promise.resolve({ outcome: 'dispatched' }),
        acceptResult: (r) => (accepted.push(r), Promise.resolve({ outcome: 'already-final' })),
      },
    });
    const { code: _code, ...withoutCode } = result('bash', 'failed');
    const error = await Promise.resolve(
      buildResultsFunction(provider).handler(withoutCode, context('buildResults', 'r3')),
    ).catch((e: unknown) => e);
    expect(PipelineError.is(error, 'message.invalid')).toBe(true);
    expect(accepted).toEqual([]);
  });
});

import { HttpRequest, InvocationContext } from '@azure/functions';
import type { HttpResponseInit } from '@azure/functions';
import { describe, expect, test } from 'vitest';
import { buildFunctionTable } from '../../functions/catalog';
import type { HttpFunction } from '../../functions/table';
import { createHttpRouter } from '../../hosts/local/functions-host/http-router';
import {
  imageBuildsQueueFunction,
  imagesSubscriptionFunction,
  requestImageBuildFunction,
} from '../../functions/images-trigger';
import { pipelineEvent, toCloudEvent } from '../../shared/events';
import { imageTargets } from '../../shared/images/image-repositories';
import { ImageTrigger } from '../../shared/images/image-trigger-service';
import type { ImageBuildRequestOutcome } from '../../shared/images/image-trigger';
import type { MessageFailure } from '../../shared/messaging/message-failures';
import type { Services } from '../../shared/services';
import { failure } from '../../testing/failures';
import {
  DeduplicatingImageBuildQueue,
  MemoryImageTriggerState,
  RecordingImageBuilds,
} from '../../testing/fakes/image-trigger-ports';
import { fakeServices } from '../../testing/fakes/services';
import { sampleEvents } from '../../testing/fixtures/pipeline-events';
import { capturedLogs } from './captured-logs';

const QUIET = 300_000;
const t0 = Date.parse('2026-12-06T10:00:00.000Z');

const repoPublished = (repository: string, revision: number) =>
  toCloudEvent(
    pipelineEvent('repo.published', {
      identity: `${repository}:${revision}`,
      subject: repository,
      time: new Date(t0).toISOString(),
      data: {
        repository,
        revision,
        added: ['zlib-ng-2.2.4-1.azl4.x86_64'],
        removed: [],
        baseUrl: `https://example.blob.core.windows.net/repos/${repository}/`,
      },
    }),
    'func-azl-test',
  );

const context = (functionName: string, messageId = 'm-1', sessionId?: string) =>
  new InvocationContext({
    invocationId: `inv-${messageId}`,
    functionName,
    triggerMetadata: { messageId, deliveryCount: 1, ...(sessionId ? { sessionId } : {}) },
    logHandler: () => undefined,
  });

/** The three functions over a real ImageTrigger on in-memory ports; `over` replaces or removes ports. */
function setUp(over: Partial<Services> = {}, builds = new RecordingImageBuilds()) {
  let now = t0;
  const { logger, lines } = capturedLogs();
  const state = new MemoryImageTriggerState();
  const queue = new DeduplicatingImageBuildQueue();
  const failures: MessageFailure[] = [];
  const imageTrigger = new ImageTrigger({
    images: imageTargets(['vm-base'], 'x86_64'),
    state,
    queue,
    quietMs: QUIET,
    now: () => new Date(now),
  });
  const services = fakeServices({
    logger,
    failures: { record: (f) => (failures.push(f), Promise.resolve()) },
    imageTrigger,
    imageBuilds: builds,
    ...over,
  });
  const provider = () => Promise.resolve(services);
  return {
    lines,
    queue,
    builds,
    failures,
    at: (ms: number) => {
      now = t0 + ms;
    },
    subscription: imagesSubscriptionFunction(provider),
    builder: imageBuildsQueueFunction(provider),
    http: requestImageBuildFunction(provider),
  };
}

describe('imageTrigger (the images subscription of events)', () => {
  test('is the images subscription of the events topic, without sessions', () => {
    expect(setUp().subscription).toMatchObject({
      kind: 'serviceBusTopic',
      name: 'imageTrigger',
      topicName: 'events',
      subscriptionName: 'images',
      isSessionsEnabled: false,
    });
  });

  test('a repo.published of a repository an image uses schedules its quiet check', async () => {
    const { subscription, queue, lines } = setUp();
    await subscription.handler(repoPublished('base/x86_64', 4), context('imageTrigger'));
    expect(queue.sent).toEqual([
      expect.objectContaining({ sessionId: 'vm-base', notBefore: new Date(t0 + QUIET) }),
    ]);
    expect(lines.find((l) => l.msg === 'image builds scheduled after a repository moved')).toMatchObject({
      repository: 'base/x86_64',
      revision: 4,
      images: 'vm-base',
    });
  });

  test('other events and repositories no image uses are completed without scheduling', async () => {
    const { subscription, queue, failures } = setUp();
    await subscription.handler(
      toCloudEvent(sampleEvents['build.failed'], 'func-azl-test'),
      context('imageTrigger'),
    );
    await subscription.handler(repoPublished('base/srpms', 2), context('imageTrigger', 'm-2'));
    expect(queue.sent).toEqual([]);
    expect(failures).toEqual([]);
  });

  test('a repo.published that does not fit the catalogue is a recorded message.invalid', async () => {
    const { subscription, failures } = setUp();
    const broken = { ...repoPublished('base/x86_64', 4), data: { repository: 'base/x86_64' } };
    const error = await failure(
      subscription.handler(broken, context('imageTrigger', 'bad')) as Promise<void>,
    );
    expect(error.code).toBe('message.invalid');
    expect(failures.map((f) => f.messageId)).toEqual(['bad']);
  });

  test('without an image trigger every event is completed untouched', async () => {
    const { subscription, queue } = setUp({ imageTrigger: undefined });
    await subscription.handler(repoPublished('base/x86_64', 4), context('imageTrigger'));
    expect(queue.sent).toEqual([]);
  });
});

describe('imageBuild (the image-builds queue)', () => {
  test('is the image-builds queue with a session per image', () => {
    expect(setUp().builder).toMatchObject({
      kind: 'serviceBusQueue',
      queueName: 'image-builds',
      isSessionsEnabled: true,
    });
  });

  test('a check before the quiet interval ends waits; once quiet the build is requested', async () => {
    const { subscription, builder, queue, builds, at, lines } = setUp();
    await subscription.handler(repoPublished('base/x86_64', 4), context('imageTrigger'));
    at(60_000);
    await subscription.handler(repoPublished('extras/x86_64', 2), context('imageTrigger', 'm-2'));
    at(QUIET);
    const [check] = queue.take(new Date(t0 + QUIET));
    await builder.handler(check!.body, context('imageBuild', check!.messageId, 'vm-base'));
    expect(builds.requests).toEqual([]);
    expect(lines.at(-1)).toMatchObject({
      msg: 'image repositories not quiet yet; checking again',
      image: 'vm-base',
    });

    at(60_000 + QUIET);
    const [again] = queue.take(new Date(t0 + 60_000 + QUIET));
    await builder.handler(again!.body, context('imageBuild', again!.messageId, 'vm-base'));
    expect(builds.requests).toEqual([
      {
        image: 'vm-base',
        reason: 'repositories-changed',
        revisions: { 'base/x86_64': 4, 'extras/x86_64': 2 },
      },
    ]);
    expect(lines.at(-1)).toMatchObject({ msg: 'image build queued', buildId: 'vm-base-build' });
  });

  test('an unchanged fingerprint builds nothing and says so', async () => {
    const unchanged = new RecordingImageBuilds((r): ImageBuildRequestOutcome => ({
      kind: 'unchanged',
      image: r.image,
      fingerprint: 'sha256:same',
    }));
    const { builder, lines } = setUp({}, unchanged);
    await builder.handler(
      { image: 'vm-base', trigger: 'requested', at: new Date(t0).toISOString() },
      context('imageBuild', 'r-1', 'vm-base'),
    );
    expect(lines.at(-1)).toMatchObject({
      msg: 'image unchanged: same fingerprint, nothing built',
      image: 'vm-base',
      fingerprint: 'sha256:same',
    });
  });

  test('without an image builder a due build is completed with a log line saying so', async () => {
    const { builder, lines } = setUp({ imageBuilds: undefined });
    await builder.handler(
      { image: 'vm-base', trigger: 'requested', at: new Date(t0).toISOString() },
      context('imageBuild', 'r-1', 'vm-base'),
    );
    expect(lines.at(-1)).toMatchObject({ msg: 'image build due, but image builds are not configured' });
  });

  test('without an image trigger the message is completed with a log line saying so', async () => {
    const { builder, lines, builds } = setUp({ imageTrigger: undefined });
    await builder.handler(
      { image: 'vm-base', trigger: 'requested', at: new Date(t0).toISOString() },
      context('imageBuild', 'r-1', 'vm-base'),
    );
    expect(builds.requests).toEqual([]);
    expect(lines.at(-1)).toMatchObject({
      msg: 'image build not considered: image triggers are not configured',
    });
  });
});

describe('POST /api/images/{name}/builds', () => {
  const post = async (http: ReturnType<typeof setUp>['http'], name: string) =>
    (await http.handler(
      new HttpRequest({
        method: 'POST',
        url: `http://localhost/api/images/${name}/builds`,
        params: { name },
      }),
      context('requestImageBuild'),
    )) as HttpResponseInit & { jsonBody: Record<string, unknown> };

  test('is a POST behind a function key', () => {
    expect(setUp().http).toMatchObject({
      route: 'images/{name}/builds',
      methods: ['POST'],
      authLevel: 'function',
    });
  });

  test('queues a build now on the image session and answers 202 with what was queued', async () => {
    const { http, queue, builder, builds } = setUp();
    const response = await post(http, 'vm-base');
    expect(response.status).toBe(202);
    const [message] = queue.sent;
    expect(message).toMatchObject({ sessionId: 'vm-base', notBefore: new Date(t0) });
    expect(response.jsonBody).toEqual({
      image: 'vm-base',
      queued: { messageId: message!.messageId, trigger: 'requested', at: new Date(t0).toISOString() },
    });
    await builder.handler(message!.body, context('imageBuild', message!.messageId, 'vm-base'));
    expect(builds.requests).toEqual([{ image: 'vm-base', reason: 'requested', revisions: {} }]);
  });

  test('an image the distro tree does not have is a 404', async () => {
    const { http, queue } = setUp();
    const response = await post(http, 'no-such-image');
    expect(response.status).toBe(404);
    expect(response.jsonBody).toMatchObject({ code: 'image.unknown-image' });
    expect(queue.sent).toEqual([]);
  });

  test('without an image builder or trigger it is a 503 saying which', async () => {
    const noBuilder = await post(setUp({ imageBuilds: undefined }).http, 'vm-base');
    expect(noBuilder).toMatchObject({ status: 503, jsonBody: { code: 'image.builds-not-configured' } });
    expect(noBuilder.jsonBody['message']).toMatch(/no image builder/);
    const noTrigger = await post(setUp({ imageTrigger: undefined }).http, 'vm-base');
    expect(noTrigger.jsonBody['message']).toMatch(/no image triggers/);
  });
});

describe('the function table', () => {
  test('holds the three image trigger functions, and routes the POST to the request', () => {
    const table = buildFunctionTable(() => Promise.resolve(fakeServices()));
    expect(table.map((entry) => entry.name)).toEqual(
      expect.arrayContaining(['imageTrigger', 'imageBuild', 'requestImageBuild']),
    );
    const router = createHttpRouter(table.filter((entry): entry is HttpFunction => entry.kind === 'http'));
    const found = router.resolve('POST', 'images/vm-base/builds');
    expect(found.kind === 'found' && [found.fn.name, found.params]).toEqual([
      'requestImageBuild',
      { name: 'vm-base' },
    ]);
  });
});

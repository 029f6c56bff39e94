import { describe, expect, test } from 'vitest';
import { imageTargets } from '../../../shared/images/image-repositories';
import { ImageTrigger } from '../../../shared/images/image-trigger-service';
import type { ImageBuildHandled } from '../../../shared/images/image-trigger-service';
import type { ImageBuildRequests } from '../../../shared/images/image-trigger';
import { failure } from '../../../testing/failures';
import {
  DeduplicatingImageBuildQueue,
  MemoryImageTriggerState,
  RecordingImageBuilds,
} from '../../../testing/fakes/image-trigger-ports';

const QUIET = 300_000;
const t0 = Date.parse('2026-12-06T10:00:00.000Z');

/** The trigger on in-memory ports with a clock the test moves; `deliver` runs what the queue holds by then. */
function setUp(names = ['vm-base', 'container-base']) {
  let now = t0;
  const state = new MemoryImageTriggerState();
  const queue = new DeduplicatingImageBuildQueue();
  const builds = new RecordingImageBuilds();
  const trigger = new ImageTrigger({
    images: imageTargets(names, 'x86_64'),
    state,
    queue,
    quietMs: QUIET,
    now: () => new Date(now),
  });
  return {
    state,
    queue,
    builds,
    trigger,
    at: (ms: number) => {
      now = t0 + ms;
    },
    /** Every message visible at the current time, handled in order (and what each came to). */
    deliver: async (requests: ImageBuildRequests | undefined = builds): Promise<ImageBuildHandled[]> => {
      const handled: ImageBuildHandled[] = [];
      for (const message of queue.take(new Date(now)))
        handled.push(await trigger.handle(message.body, requests));
      return handled;
    },
  };
}

describe('the image trigger', () => {
  test('a burst of publishes builds each image once, a quiet interval after the last', async () => {
    const { trigger, queue, builds, at, deliver } = setUp();
    await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 4 });
    at(60_000);
    await trigger.repositoryPublished({ repository: 'extras/x86_64', revision: 9 });
    at(120_000);
    await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 5 });
    // One first check per image for the whole burst: the later ones fall in the same window and are dropped.
    expect(queue.sent.map((m) => m.messageId)).toHaveLength(2);
    expect(queue.dropped).toHaveLength(4);

    at(QUIET);
    const early = await deliver();
    expect(early.map((h) => h.kind)).toEqual(['waiting', 'waiting']);
    expect(builds.requests).toEqual([]);

    at(120_000 + QUIET - 1);
    expect(await deliver()).toEqual([]);
    at(120_000 + QUIET);
    await deliver();
    expect(builds.requests).toEqual([
      {
        image: 'vm-base',
        reason: 'repositories-changed',
        revisions: { 'base/x86_64': 5, 'extras/x86_64': 9 },
      },
      {
        image: 'container-base',
        reason: 'repositories-changed',
        revisions: { 'base/x86_64': 5, 'extras/x86_64': 9 },
      },
    ]);
    expect(queue.pending).toEqual([]);
  });

  test('publishes in two windows leave two checks; delivered late, only the first asks', async () => {
    const { trigger, queue, builds, at, deliver } = setUp(['vm-base']);
    await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 1 });
    at(QUIET + 10);
    await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 2 });
    expect(queue.sent.map((m) => m.notBefore.getTime() - t0)).toEqual([QUIET, 2 * QUIET + 10]);
    at(2 * QUIET + 10);
    const due = await deliver();
    expect(due.map((h) => h.kind)).toEqual(['requested', 'already-requested']);
    expect(builds.requests.map((r) => r.revisions)).toEqual([{ 'base/x86_64': 2 }]);
  });

  test('a check redelivered while waiting schedules nothing new', async () => {
    const { trigger, queue, at } = setUp(['vm-base']);
    const [check] = await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 1 });
    at(60_000);
    await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 2 });
    at(QUIET);
    await trigger.handle(check!.body, undefined);
    await trigger.handle(check!.body, undefined);
    expect(queue.sent.map((m) => m.notBefore.getTime() - t0)).toEqual([QUIET, 60_000 + QUIET]);
    expect(queue.dropped).toHaveLength(2);
  });

  test('a check delivered again after its build was requested asks for nothing', async () => {
    const { trigger, builds, at } = setUp(['vm-base']);
    const [check] = await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 1 });
    at(QUIET);
    expect((await trigger.handle(check!.body, builds)).kind).toBe('requested');
    expect(await trigger.handle(check!.body, builds)).toEqual({
      kind: 'already-requested',
      changeAt: new Date(t0).toISOString(),
    });
    expect(builds.requests).toHaveLength(1);
  });

  test('debuginfo, source and other architectures schedule nothing', async () => {
    const { trigger, queue, state } = setUp();
    for (const repository of ['base/debuginfo/x86_64', 'base/srpms', 'base/aarch64'])
      expect(await trigger.repositoryPublished({ repository, revision: 1 })).toEqual([]);
    expect(queue.sent).toEqual([]);
    expect(state.rows.size).toBe(0);
  });

  test('without an image builder a due build is not remembered, so a builder added later still gets it', async () => {
    const { trigger, builds, at } = setUp(['vm-base']);
    const [check] = await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 1 });
    at(QUIET);
    expect(await trigger.handle(check!.body, undefined)).toEqual({
      kind: 'not-configured',
      request: { image: 'vm-base', reason: 'repositories-changed', revisions: { 'base/x86_64': 1 } },
    });
    expect((await trigger.handle(check!.body, builds)).kind).toBe('requested');
  });

  test('a build asked for is queued at once on the image session and built with the revisions seen', async () => {
    const { trigger, queue, builds, deliver } = setUp(['vm-base']);
    await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 3 });
    const asked = await trigger.requestNow('vm-base');
    expect(asked).toMatchObject({ sessionId: 'vm-base', notBefore: new Date(t0) });
    expect(queue.sent.at(-1)).toBe(asked);

    const handled = await deliver();
    expect(handled).toEqual([
      {
        kind: 'requested',
        request: { image: 'vm-base', reason: 'requested', revisions: { 'base/x86_64': 3 } },
        outcome: { kind: 'queued', image: 'vm-base', fingerprint: 'sha256:new', buildId: 'vm-base-build' },
      },
    ]);
    expect(builds.requests).toHaveLength(1);
  });

  test('an unchanged fingerprint is handed back as the outcome', async () => {
    const { trigger, at } = setUp(['vm-base']);
    const unchanged = new RecordingImageBuilds((r) => ({
      kind: 'unchanged',
      image: r.image,
      fingerprint: 'sha256:same',
    }));
    const [check] = await trigger.repositoryPublished({ repository: 'base/x86_64', revision: 1 });
    at(QUIET);
    expect(await trigger.handle(check!.body, unchanged)).toMatchObject({
      kind: 'requested',
      outcome: { kind: 'unchanged', fingerprint: 'sha256:same' },
    });
  });

  test('an image the tree does not have: requestNow refuses it, a message for it builds nothing', async () => {
    const { trigger, queue, builds } = setUp(['vm-base']);
    const error = await failure(trigger.requestNow('nope'));
    expect(error.code).toBe('image.unknown-image');
    expect(queue.sent).toEqual([]);
    const handled = await trigger.handle(
      { image: 'nope', trigger: 'requested', at: new Date(t0).toISOString() },
      builds,
    );
    expect(handled).toEqual({ kind: 'unknown-image' });
    expect(builds.requests).toEqual([]);
  });
});

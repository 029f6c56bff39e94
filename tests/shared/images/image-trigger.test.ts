import { describe, expect, test } from 'vitest';
import {
  imagesUsingRepository,
  imageTargets,
  imageUsesRepository,
} from '../../../shared/images/image-repositories';
import {
  decideImageBuild,
  imageBuildMessageSchema,
  quietCheckAfterChange,
  quietCheckAt,
  requestedBuild,
} from '../../../shared/images/image-trigger';
import type { ImageBuildMessage, ImageTriggerRow } from '../../../shared/images/image-trigger';

const QUIET = 300_000;
const t0 = new Date('2026-12-06T10:00:00.000Z');
const after = (ms: number) => new Date(t0.getTime() + ms);
const check: ImageBuildMessage = { image: 'vm-base', trigger: 'quiet-check', at: t0.toISOString() };
const row = (over: Partial<ImageTriggerRow> = {}): ImageTriggerRow => ({
  image: 'vm-base',
  lastRepoChangeAt: t0.toISOString(),
  revisions: { 'base/x86_64': 3 },
  ...over,
});

describe('which images a repository moves', () => {
  const images = [
    ...imageTargets(['vm-base', 'container-base'], 'x86_64'),
    { name: 'vm-arm', arch: 'aarch64' },
  ];

  test("every channel's binary repository of the image's architecture", () => {
    expect(imagesUsingRepository(images, 'base/x86_64')).toEqual(['vm-base', 'container-base']);
    expect(imagesUsingRepository(images, 'extras/x86_64')).toEqual(['vm-base', 'container-base']);
    expect(imagesUsingRepository(images, 'base/aarch64')).toEqual(['vm-arm']);
  });

  test('debuginfo, source and other architectures move no image', () => {
    expect(imagesUsingRepository(images, 'base/debuginfo/x86_64')).toEqual([]);
    expect(imagesUsingRepository(images, 'base/srpms')).toEqual([]);
    expect(imagesUsingRepository(images, 'base/ppc64le')).toEqual([]);
    expect(imageUsesRepository('x86_64', 'x86_64')).toBe(false);
    expect(imageUsesRepository('x86_64', '/x86_64')).toBe(false);
  });
});

describe('image-builds messages', () => {
  test('a change schedules a quiet check after the quiet interval, one id per window and image', () => {
    const first = quietCheckAfterChange('vm-base', t0, QUIET);
    expect(first).toMatchObject({ sessionId: 'vm-base', notBefore: after(QUIET) });
    expect(first.body).toEqual({ image: 'vm-base', trigger: 'quiet-check', at: t0.toISOString() });
    expect(quietCheckAfterChange('vm-base', after(QUIET - 1), QUIET).messageId).toBe(first.messageId);
    expect(quietCheckAfterChange('vm-base', after(QUIET), QUIET).messageId).not.toBe(first.messageId);
    expect(quietCheckAfterChange('vm-arm', t0, QUIET).messageId).not.toBe(first.messageId);
  });

  test('a check again never has the id of a first check, and the same due time gives the same id', () => {
    const due = after(QUIET + 5_000);
    const again = quietCheckAt('vm-base', due, after(QUIET));
    expect(again.notBefore).toEqual(due);
    expect(again.messageId).toBe(quietCheckAt('vm-base', due, after(QUIET + 1)).messageId);
    expect(again.messageId).not.toBe(quietCheckAfterChange('vm-base', due, QUIET).messageId);
  });

  test('a zero quiet interval still gives each change its own first check', () => {
    expect(quietCheckAfterChange('vm-base', t0, 0).messageId).not.toBe(
      quietCheckAfterChange('vm-base', after(1), 0).messageId,
    );
  });

  test('every build asked for is its own message, visible at once, and fits the schema', () => {
    const asked = requestedBuild('vm-base', t0);
    expect(asked.notBefore).toEqual(t0);
    expect(asked.messageId).not.toBe(requestedBuild('vm-base', after(1)).messageId);
    expect(imageBuildMessageSchema.parse(asked.body)).toEqual(asked.body);
    expect(imageBuildMessageSchema.safeParse({ image: 'vm-base', trigger: 'now', at: 'x' }).success).toBe(
      false,
    );
  });
});

describe('the debounce decision', () => {
  test('builds once the repositories were quiet for the whole interval', () => {
    expect(decideImageBuild(check, row(), after(QUIET), QUIET)).toEqual({
      kind: 'build',
      reason: 'repositories-changed',
      changeAt: t0.toISOString(),
    });
  });

  test('waits until the quiet interval after the newest change', () => {
    const newer = row({ lastRepoChangeAt: after(60_000).toISOString() });
    expect(decideImageBuild(check, newer, after(QUIET), QUIET)).toEqual({
      kind: 'wait',
      until: after(60_000 + QUIET),
    });
  });

  test('asks nothing again for a change a build was already requested for', () => {
    const requested = row({ requestedForChangeAt: t0.toISOString() });
    expect(decideImageBuild(check, requested, after(2 * QUIET), QUIET)).toEqual({
      kind: 'already-requested',
      changeAt: t0.toISOString(),
    });
    const older = row({ requestedForChangeAt: after(-1).toISOString() });
    expect(decideImageBuild(check, older, after(QUIET), QUIET).kind).toBe('build');
  });

  test('a check with no change recorded builds nothing', () => {
    expect(decideImageBuild(check, undefined, after(QUIET), QUIET)).toEqual({ kind: 'nothing-changed' });
  });

  test('a build asked for is built at once, whatever the repositories do', () => {
    const asked: ImageBuildMessage = { ...check, trigger: 'requested' };
    expect(decideImageBuild(asked, row(), t0, QUIET)).toEqual({ kind: 'build', reason: 'requested' });
    expect(decideImageBuild(asked, undefined, t0, QUIET)).toEqual({ kind: 'build', reason: 'requested' });
  });
});

import { describe, expect, test } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import {
  canMoveImageBuild,
  compareVersions,
  imageBuildStates,
  isFinalImageBuildState,
  latestImageBuild,
  moveImageBuild,
  newImageBuild,
  nextImageVersion,
} from '../../../shared/images/image-build';
import type { ImageBuildRecord, ImageBuildState } from '../../../shared/images/image-build';
import { imageBlobNames } from '../../../shared/images/image-blob-names';

const AT = '2026-12-06T09:00:00.000Z';
const queued = newImageBuild({ image: 'vm-base', version: '20261206.1', fingerprint: 'sha256:aa', at: AT });

function reach(path: readonly ImageBuildState[], start: ImageBuildRecord = queued): ImageBuildRecord {
  return path.reduce((record, state) => moveImageBuild(record, state, AT), start);
}

describe('the image build state machine', () => {
  test('a new build is queued, with its first history entry', () => {
    expect(queued.state).toBe('queued');
    expect(queued.history).toEqual([{ state: 'queued', at: AT }]);
  });

  test('the legal paths keep every state in the history, with its detail', () => {
    const published = moveImageBuild(reach(['building', 'uploading']), 'published', AT, '1024 bytes sent');
    expect(published.history.map((h) => h.state)).toEqual(['queued', 'building', 'uploading', 'published']);
    expect(published.history.at(-1)).toEqual({ state: 'published', at: AT, detail: '1024 bytes sent' });
    expect(reach(['uploading']).state).toBe('uploading');
    expect(reach(['building', 'unchanged']).state).toBe('unchanged');
    expect(reach(['unchanged']).state).toBe('unchanged');
  });

  test.each([
    [['published']],
    [['building', 'published']],
    [['building', 'queued']],
    [['uploading', 'building']],
    [['uploading', 'published', 'failed']],
    [['unchanged', 'building']],
  ] as ImageBuildState[][][])('refuses %j as image.invalid-transition', (path) => {
    const error = (() => {
      try {
        reach(path);
      } catch (thrown) {
        return thrown;
      }
      return undefined;
    })();
    expect(PipelineError.is(error, 'image.invalid-transition')).toBe(true);
    expect((error as PipelineError).retryable).toBe(false);
    expect((error as PipelineError).message).toMatch(/vm-base 20261206\.1 cannot go from/);
  });

  test('a failed build starts again only when its error was retryable, and the error is cleared', () => {
    const failedWith = (retryable: boolean) =>
      moveImageBuild(reach(['uploading']), 'failed', AT, 'storage.unavailable', {
        error: { code: 'storage.unavailable', message: 'down', retryable },
      });
    const retried = moveImageBuild(failedWith(true), 'uploading', AT);
    expect(retried.state).toBe('uploading');
    expect(retried.error).toBeUndefined();
    expect(canMoveImageBuild(failedWith(true), 'published')).toBe(false);
    expect(canMoveImageBuild(failedWith(true), 'unchanged')).toBe(true);
    expect(canMoveImageBuild(failedWith(false), 'uploading')).toBe(false);
    expect(() => moveImageBuild(failedWith(false), 'queued', AT)).toThrow(/cannot go from failed to queued/);
  });

  test('published and unchanged are final; failed is final as a state (a retry is the exception)', () => {
    expect(imageBuildStates.filter(isFinalImageBuildState)).toEqual(['published', 'failed', 'unchanged']);
  });
});

describe('image versions', () => {
  test('the next version counts up within the UTC day and starts at 1 on a new day', () => {
    const now = new Date('2026-12-06T23:59:59Z');
    expect(nextImageVersion([], now)).toBe('20261206.1');
    expect(nextImageVersion(['20261206.1', '20261206.9', '20261205.30', 'custom'], now)).toBe('20261206.10');
    expect(nextImageVersion(['20261206.3'], new Date('2026-12-07T00:00:00Z'))).toBe('20261207.1');
  });

  test('versions compare numerically within a day, given versions after generated ones', () => {
    expect(['20261206.10', 'z', '20261206.9', '20261205.11'].sort(compareVersions)).toEqual([
      '20261205.11',
      '20261206.9',
      '20261206.10',
      'z',
    ]);
  });

  test('the latest build is the newest request, the higher version on a tie; by state when asked', () => {
    const build = (version: string, requestedAt: string, state: ImageBuildState = 'published') => ({
      ...newImageBuild({ image: 'vm-base', version, fingerprint: 'sha256:aa', at: requestedAt }),
      state,
    });
    const records = [
      build('20261206.9', AT),
      build('20261206.10', AT),
      build('20261207.1', '2026-12-07T00:00:00.000Z', 'failed'),
    ];
    expect(latestImageBuild(records)?.version).toBe('20261207.1');
    expect(latestImageBuild(records, 'published')?.version).toBe('20261206.10');
    expect(latestImageBuild(records, 'uploading')).toBeUndefined();
  });

  test("a version's files share its folder in the images container", () => {
    expect(imageBlobNames('vm-base', '20261206.1')).toEqual({
      vhd: 'vm-base/20261206.1/vm-base-20261206.1.vhd',
      manifest: 'vm-base/20261206.1/manifest.json',
      sbom: 'vm-base/20261206.1/sbom.spdx.json',
    });
    expect(() => imageBlobNames('vm/base', '1')).toThrow(/one path segment/);
  });
});

import { expect, test } from 'vitest';
import { KnownFinalBuilds } from '../../../infra/build-worker/known-final-builds';

test('remembers builds by component and fingerprint, forgetting the oldest past its limit', () => {
  const known = new KnownFinalBuilds(2);
  known.add('a', 'sha256:1');
  known.add('b', 'sha256:1');
  expect(known.has('a', 'sha256:1')).toBe(true);
  expect(known.has('a', 'sha256:2')).toBe(false);
  known.add('c', 'sha256:1');
  expect([known.has('a', 'sha256:1'), known.has('b', 'sha256:1'), known.has('c', 'sha256:1')]).toEqual([
    false,
    true,
    true,
  ]);
});

test('keeps how a build ended when told; a build first seen without it learns it later', () => {
  const known = new KnownFinalBuilds();
  known.add('a', 'sha256:1');
  expect(known.has('a', 'sha256:1')).toBe(true);
  expect(known.outcomeOf('a', 'sha256:1')).toBeUndefined();
  known.add('a', 'sha256:1', { buildId: 'a@1', state: 'failed' });
  expect(known.outcomeOf('a', 'sha256:1')).toEqual({ buildId: 'a@1', state: 'failed' });
  known.add('a', 'sha256:1', { buildId: 'a@1', state: 'succeeded' });
  expect(known.outcomeOf('a', 'sha256:1')).toEqual({ buildId: 'a@1', state: 'failed' });
});

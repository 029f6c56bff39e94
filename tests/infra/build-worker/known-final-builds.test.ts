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

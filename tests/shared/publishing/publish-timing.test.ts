import { describe, expect, test } from 'vitest';
import { isPublishFlushId, publishFlushId, publishTiming } from '../../../shared/publishing';

describe('publishTiming', () => {
  test('a repository never published, or quiet for the window, publishes now', () => {
    expect(publishTiming(undefined, 1_000, 10_000)).toEqual({ kind: 'now' });
    expect(publishTiming(50_000, 60_000, 10_000)).toEqual({ kind: 'now' });
    expect(publishTiming(50_000, 75_000, 10_000)).toEqual({ kind: 'now' });
  });

  test('within the window it waits for the window to end after the last revision', () => {
    expect(publishTiming(50_000, 51_000, 10_000)).toEqual({ kind: 'later', at: 60_000 });
    expect(publishTiming(50_000, 59_999, 10_000)).toEqual({ kind: 'later', at: 60_000 });
  });

  test('a window of 0 turns coalescing off', () => {
    expect(publishTiming(50_000, 50_001, 0)).toEqual({ kind: 'now' });
  });

  test('flush ids name the repository and the moment, and are told apart from build request ids', () => {
    expect(publishFlushId('rpm-base/x86_64', 60_000)).toBe('flush:rpm-base/x86_64:60000');
    expect(isPublishFlushId(publishFlushId('rpm-base/x86_64', 60_000))).toBe(true);
    expect(isPublishFlushId('rpm-base/x86_64:sha256:abc')).toBe(false);
  });
});

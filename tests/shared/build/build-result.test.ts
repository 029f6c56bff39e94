import { describe, expect, test } from 'vitest';
import { buildResultMessageId, buildResultSchema } from '../../../shared/build';

const fingerprint = `sha256:${'0f'.repeat(32)}`;
const failed = {
  component: 'bash',
  fingerprint,
  planId: 'plan-7',
  executionName: 'azl-build-x1y2z3a',
  builder: 'rpmbuild',
  state: 'failed',
  code: 'build.compile-error',
  retryable: false,
  message: 'make exited 2',
  logExcerpt: 'error: Bad exit status from /var/tmp/rpm-tmp.1 (%build)',
  artifacts: [{ blobPath: `bash/${fingerprint}/build.log`, sha256: 'aa'.repeat(32), size: 10, kind: 'log' }],
  nevras: [],
  startedAt: '2025-06-01T10:00:00Z',
  finishedAt: '2025-06-01T10:01:00+00:00',
};

const firstIssue = (value: unknown): string => {
  const parsed = buildResultSchema.safeParse(value);
  if (parsed.success) return 'valid';
  const issue = parsed.error.issues[0];
  return `${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}`;
};

describe('the build-results message', () => {
  test('a failed result with its code, retryability and log excerpt is valid', () => {
    expect(firstIssue(failed)).toBe('valid');
  });

  test.each([
    ['a failure without its code', { ...failed, code: undefined }, /^code: a failed result names its code/],
    ['an unknown state', { ...failed, state: 'unchanged' }, /^state: /],
    [
      'an artifact sha256 in upper case',
      { ...failed, artifacts: [{ ...failed.artifacts[0], sha256: 'AA'.repeat(32) }] },
      /^artifacts\.0\.sha256: a sha256 is 64/,
    ],
    [
      'an artifact of an unknown kind',
      { ...failed, artifacts: [{ ...failed.artifacts[0], kind: 'image' }] },
      /^artifacts\.0\.kind: /,
    ],
    ['a time without an offset', { ...failed, finishedAt: '2025-06-01 10:01' }, /^finishedAt: /],
    [
      'an execution name too long for the message id',
      { ...failed, executionName: 'e'.repeat(57) },
      /^executionName: /,
    ],
  ])('rejects %s, naming the field', (_why, value, message) => {
    expect(firstIssue(value)).toMatch(message);
  });

  test('the message id is fingerprint:execution and fits Service Bus (128 characters)', () => {
    const id = buildResultMessageId({ fingerprint, executionName: 'e'.repeat(56) });
    expect(id).toBe(`${fingerprint}:${'e'.repeat(56)}`);
    expect(id.length).toBe(128);
  });
});

import { describe, expect, it } from 'vitest';
import { PipelineError } from '../../../shared/errors';
import { chooseCommit, describeChoice } from '../../../shared/sources/commit-choice';
import {
  validateBranchName,
  validateCommit,
  validateFileName,
  validatePackageName,
} from '../../../shared/sources/names';

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    return PipelineError.is(error) ? error.code : 'other';
  }
  return undefined;
}

describe('name validation', () => {
  it('accepts real package, file and branch names', () => {
    expect(validatePackageName('gtk+')).toBe('gtk+');
    expect(validatePackageName('python3.12')).toBe('python3.12');
    expect(validateFileName('kernel-6.18.tar.xz')).toBe('kernel-6.18.tar.xz');
    expect(validateBranchName('f43')).toBe('f43');
    expect(validateBranchName('epel9-next')).toBe('epel9-next');
  });

  it('refuses hostile names with sources.invalid-name naming the value', () => {
    for (const name of ['../etc', 'a/b', '..', '-rf', '', 'a b', 'x..y']) {
      expect(codeOf(() => validatePackageName(name))).toBe('sources.invalid-name');
    }
    for (const name of ['../x', 'a/b', 'a\\b', '..x', '.', '-x', 'a\nb']) {
      expect(codeOf(() => validateFileName(name))).toBe('sources.invalid-name');
    }
    for (const name of ['--upload-pack=x', 'a..b', 'f43/', '/f43', 'x.lock']) {
      expect(codeOf(() => validateBranchName(name))).toBe('sources.invalid-name');
    }
    try {
      validatePackageName('../etc');
    } catch (error) {
      expect(PipelineError.is(error) && error.context).toEqual({ field: 'package', value: '../etc' });
      expect(PipelineError.is(error) && error.retryable).toBe(false);
    }
  });

  it('folds and checks commit ids', () => {
    expect(validateCommit('ABCDEF1')).toBe('abcdef1');
    expect(codeOf(() => validateCommit('abc'))).toBe('sources.invalid-name');
    expect(codeOf(() => validateCommit('--all'))).toBe('sources.invalid-name');
  });
});

describe('chooseCommit', () => {
  const event = 'a'.repeat(40);
  const pin = 'b'.repeat(40);
  const snapshot = '2026-02-24T00:00:00-08:00';

  it('prefers event over pin over snapshot over head', () => {
    expect(chooseCommit({ eventCommit: event, pinnedCommit: pin, snapshot })).toEqual({
      kind: 'event',
      commit: event,
    });
    expect(chooseCommit({ pinnedCommit: pin, snapshot })).toEqual({ kind: 'pin', commit: pin });
    const bySnapshot = chooseCommit({ snapshot });
    expect(bySnapshot).toEqual({ kind: 'snapshot', before: new Date('2026-02-24T08:00:00Z') });
    expect(describeChoice(bySnapshot)).toBe('snapshot 2026-02-24T08:00:00.000Z');
    expect(chooseCommit({})).toEqual({ kind: 'head' });
  });

  it('refuses a snapshot without a zone and a malformed commit', () => {
    expect(codeOf(() => chooseCommit({ snapshot: '2026-02-24' }))).toBe('sources.invalid-name');
    expect(codeOf(() => chooseCommit({ pinnedCommit: 'HEAD~1' }))).toBe('sources.invalid-name');
  });
});

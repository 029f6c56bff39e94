import { describe, expect, it } from 'vitest';
import { classifyBuild, logExcerpt } from '../../../shared/build/log-classify';

const exited = (code: number | null, signal: string | null = null) => ({
  kind: 'exited' as const,
  code,
  signal,
});

describe('classifyBuild', () => {
  it('is no failure when rpmbuild exited 0, whatever the log says', () => {
    expect(classifyBuild(exited(0), 'error: this line is from a test suite\n')).toBeUndefined();
  });

  it('reads a spec parse error, naming the line', () => {
    const failure = classifyBuild(exited(1), 'error: line 12: Unknown tag: Frob: x\n');
    expect(failure).toEqual({
      code: 'build.spec-error',
      retryable: false,
      message: 'the spec does not parse: line 12: Unknown tag: Frob: x',
    });
  });

  it('takes a failed %prep as a spec error and %build, %install, %check as compile errors', () => {
    const bad = (section: string) => `+ make\nerror: Bad exit status from /tmp/rpm-tmp.x (${section})\n`;
    expect(classifyBuild(exited(1), bad('%prep'))?.code).toBe('build.spec-error');
    for (const section of ['%build', '%install', '%check']) {
      expect(classifyBuild(exited(1), bad(section))).toEqual({
        code: 'build.compile-error',
        retryable: false,
        message: `${section} failed`,
      });
    }
  });

  it('names the first compiler error of a failed %build', () => {
    const log = [
      'a.c: In function main:',
      "a.c:3:10: error: 'x' undeclared",
      'b.c:1:1: error: later one',
      'error: Bad exit status from /tmp/rpm-tmp.x (%build)',
    ].join('\n');
    expect(classifyBuild(exited(1), log)?.message).toBe("%build failed: a.c:3:10: error: 'x' undeclared");
  });

  it('takes a missing source and a %files mismatch as spec errors', () => {
    expect(
      classifyBuild(exited(1), 'error: Bad file: /t/SOURCES/a.tar: No such file or directory\n'),
    ).toMatchObject({
      code: 'build.spec-error',
      message: expect.stringContaining('a source is missing'),
    });
    expect(
      classifyBuild(exited(1), 'RPM build errors:\n    File not found: /t/BUILDROOT/usr/bin/x\n'),
    ).toMatchObject({
      code: 'build.spec-error',
      message: expect.stringContaining('%files'),
    });
  });

  it('falls back to build.failed with the first error line, or the exit status', () => {
    expect(classifyBuild(exited(1), 'error: something new\n')).toEqual({
      code: 'build.failed',
      retryable: false,
      message: 'rpmbuild failed: something new',
    });
    expect(classifyBuild(exited(null, 'SIGSEGV'), '')?.message).toBe('rpmbuild exited with signal SIGSEGV');
  });

  it('classifies the ends the process handling reports: not started (retryable), timed out, cancelled', () => {
    expect(classifyBuild({ kind: 'not-started', reason: 'spawn rpmbuild ENOENT' }, '')).toEqual({
      code: 'build.not-started',
      retryable: true,
      message: 'rpmbuild did not start: spawn rpmbuild ENOENT',
    });
    expect(classifyBuild({ kind: 'timed-out', limitMs: 90_000 }, 'error: line 1: x')).toEqual({
      code: 'build.timeout',
      retryable: false,
      message: 'the build did not finish within 90 s and was stopped',
    });
    expect(classifyBuild({ kind: 'cancelled' }, '')?.code).toBe('build.cancelled');
  });
});

describe('logExcerpt', () => {
  it('keeps the last lines, trailing blank lines dropped', () => {
    const log = `${Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n')}\n\n\n`;
    const excerpt = logExcerpt(log, 60);
    expect(excerpt.split('\n')).toHaveLength(60);
    expect(excerpt.startsWith('line 41\n')).toBe(true);
    expect(excerpt.endsWith('line 100')).toBe(true);
  });
});

import type { ClassifiedCode } from '../error-codes';

/**
 * What a finished `rpmbuild` run means, from how it ended and what it logged. Pure: the process handling is in
 * `infra/builders/rpmbuild/`, which reports the end as a `BuildEnd` and the log as text.
 *
 * - the builder could not run (rpmbuild missing, spawn refused) → `build.not-started`, retryable;
 * - the spec does not parse (`error: line N: …`), `%prep` fails (sources do not unpack, a patch does not
 *   apply), a source is missing, or `%files` does not match what was installed → `build.spec-error`;
 * - `%build`, `%install` or `%check` fails (`Bad exit status from … (%build)`) → `build.compile-error`;
 * - the time limit was reached → `build.timeout`;
 * - anything else that failed → `build.failed`.
 * Every code but `build.not-started` (and `build.cancelled`, the worker's own stop) is permanent: the same
 * inputs fail the same way.
 */
export type BuildEnd =
  | { readonly kind: 'exited'; readonly code: number | null; readonly signal?: string | null }
  | { readonly kind: 'timed-out'; readonly limitMs: number }
  | { readonly kind: 'not-started'; readonly reason: string }
  | { readonly kind: 'cancelled' };

export type BuildFailure = ClassifiedCode & { readonly message: string };

const BAD_EXIT = /^error: Bad exit status from \S+ \((%[a-z_]+)\)/m;
const SPEC_LINE = /^error: line \d+: .*$/m;
const FILES_ERROR = /^\s*(?:error: )?(?:File not found: .*|Installed \(but unpackaged\) file\(s\) found.*)$/m;
const MISSING_SOURCE = /^error: (?:Bad file: .*|File .*: No such file or directory)$/m;
const COMPILER_ERROR = /^.*:\d+(?::\d+)?: (?:fatal )?error: .*$/gm;
const ANY_ERROR = /^error: .*$/m;

/** The failure a run ended in, or undefined when it succeeded (exit status 0). */
export function classifyBuild(end: BuildEnd, log: string): BuildFailure | undefined {
  switch (end.kind) {
    case 'not-started':
      return { code: 'build.not-started', retryable: true, message: `rpmbuild did not start: ${end.reason}` };
    case 'cancelled':
      return { code: 'build.cancelled', retryable: true, message: 'the build was cancelled' };
    case 'timed-out':
      return {
        code: 'build.timeout',
        retryable: false,
        message: `the build did not finish within ${Math.round(end.limitMs / 1000)} s and was stopped`,
      };
    case 'exited':
      return end.code === 0 ? undefined : classifyLog(log, end);
  }
}

function classifyLog(log: string, end: { code: number | null; signal?: string | null }): BuildFailure {
  const specLine = SPEC_LINE.exec(log)?.[0];
  if (specLine) return spec(`the spec does not parse: ${specLine.slice('error: '.length)}`);
  const section = BAD_EXIT.exec(log)?.[1];
  if (section === '%prep') return spec('%prep failed: the sources do not unpack or a patch does not apply');
  if (section !== undefined) {
    const compiler = [...log.matchAll(COMPILER_ERROR)].at(0)?.[0]?.trim();
    return {
      code: 'build.compile-error',
      retryable: false,
      message: `${section} failed${compiler ? `: ${compiler}` : ''}`,
    };
  }
  const missing = MISSING_SOURCE.exec(log)?.[0];
  if (missing) return spec(`a source is missing: ${missing.slice('error: '.length)}`);
  const files = FILES_ERROR.exec(log)?.[0];
  if (files) return spec(`%files does not match the installed files: ${files.trim()}`);
  const other = ANY_ERROR.exec(log)?.[0];
  const status = end.code === null ? `signal ${end.signal ?? 'unknown'}` : `status ${end.code}`;
  return {
    code: 'build.failed',
    retryable: false,
    message: other ? `rpmbuild failed: ${other.slice('error: '.length)}` : `rpmbuild exited with ${status}`,
  };
}

const spec = (message: string): BuildFailure => ({ code: 'build.spec-error', retryable: false, message });

/** The last `lines` lines of a log (trailing blank lines dropped), for a build record. */
export function logExcerpt(log: string, lines = 60): string {
  const all = log.replace(/\s+$/, '').split('\n');
  return all.slice(-lines).join('\n');
}

import type { PipelineError } from '../../shared/errors';
import type { ErrorContext } from '../../shared/errors';
import { sourcesPermanent, sourcesUnavailable } from '../../shared/sources/source-errors';
import type { GitResult } from './git-runner';

/**
 * The one place where a failed git run becomes a PipelineError, judged by git's (LC_ALL=C) stderr:
 *
 * - the ref or commit does not exist on the server or in the fetched history → `sources.unknown-ref`;
 * - the repository itself does not exist (HTTP 404, missing local path) → `sources.not-found`;
 * - anything else (DNS, refused connection, TLS, 5xx, early EOF) → `sources.unavailable`, retryable: a git
 *   failure we cannot name is far more often the network than the input.
 */
const UNKNOWN_REF = [
  /couldn't find remote ref/i,
  /not our ref/i,
  /unknown revision/i,
  /bad object/i,
  /bad revision/i,
  /invalid object name/i,
  /Needed a single revision/i,
  /not a valid object name/i,
  /reference is not a tree/i,
  /no such remote ref/i,
];
const REPO_MISSING = [
  /repository '.*' not found/i,
  /Repository not found/i,
  /does not appear to be a git repository/i,
  /The requested URL returned error: 404/i,
];

export function classifyGitFailure(result: GitResult, operation: string, place: ErrorContext): PipelineError {
  const stderr = result.stderr.trim();
  const detail = stderr.split('\n').slice(-3).join(' | ').slice(0, 500);
  const context: ErrorContext = { ...place, operation, exitCode: result.code, stderr: detail };
  const message = `git ${operation} failed: ${detail || `exit code ${result.code}`}`;
  if (REPO_MISSING.some((pattern) => pattern.test(stderr))) {
    return sourcesPermanent('sources.not-found', message, context);
  }
  if (UNKNOWN_REF.some((pattern) => pattern.test(stderr))) {
    return sourcesPermanent('sources.unknown-ref', message, context);
  }
  return sourcesUnavailable(message, context);
}

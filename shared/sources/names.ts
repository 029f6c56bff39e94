import { invalidName } from './source-errors';

/**
 * Validation of every name that comes from input and ends up in a path, a URL or a git argument. A hostile
 * value (`../etc`, `--upload-pack=…`, `a/b`) is a permanent `sources.invalid-name` error naming it.
 */

const PACKAGE_NAME = /^[A-Za-z0-9._+-]+$/;
const BRANCH_NAME = /^[A-Za-z0-9._+/-]+$/;
const COMMIT = /^[0-9a-f]{7,40}$/;

/** A dist-git package (or component) name: one path segment, never `..`, never an option. */
export function validatePackageName(name: string, field = 'package'): string {
  if (name.length === 0 || name.length > 200) throw invalidName(field, name, 'must be 1..200 characters');
  if (!PACKAGE_NAME.test(name)) throw invalidName(field, name, 'allowed characters are A-Z a-z 0-9 . _ + -');
  if (name.includes('..')) throw invalidName(field, name, 'must not contain ".."');
  if (name.startsWith('-') || name.startsWith('.'))
    throw invalidName(field, name, 'must not start with - or .');
  return name;
}

/**
 * A file name from a `sources` file or a `source-files` entry: placed at the root of the sources folder, so
 * no path separators, no NUL/control characters, not `.`/`..` and no leading `..`.
 */
export function validateFileName(name: string, field = 'file'): string {
  if (name.length === 0 || name.length > 255) throw invalidName(field, name, 'must be 1..255 characters');
  if (/[/\\]/.test(name)) throw invalidName(field, name, 'must not contain path separators');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name))
    throw invalidName(field, name, 'must not contain control characters');
  if (name === '.' || name.startsWith('..')) throw invalidName(field, name, 'must not be . or start with ..');
  if (name.startsWith('-')) throw invalidName(field, name, 'must not start with -');
  return name;
}

/** A dist-git branch (`f43`, `rawhide`, `epel9`): a git ref name that can never be read as an option. */
export function validateBranchName(name: string, field = 'branch'): string {
  const bad =
    name.length === 0 ||
    name.length > 200 ||
    !BRANCH_NAME.test(name) ||
    name.includes('..') ||
    name.includes('//') ||
    /^[-/.]/.test(name) ||
    /[/.]$/.test(name) ||
    name.endsWith('.lock');
  if (bad) throw invalidName(field, name, 'not a valid branch name');
  return name;
}

/** A commit id: 7–40 lower-case hex digits (upper case is folded). */
export function validateCommit(commit: string, field = 'commit'): string {
  const lower = commit.toLowerCase();
  if (!COMMIT.test(lower)) throw invalidName(field, commit, 'must be 7..40 hex digits');
  return lower;
}

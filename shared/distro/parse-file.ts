import { parse, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { PipelineError } from '../errors';
import type { ErrorContext } from '../errors';
import { checkOverlays } from './check-overlays';
import { locateKeyPath } from './locate';
import { ConfigFileSchema } from './schema/config-file';
import type { ConfigFile } from './schema/config-file';

/**
 * Parses and validates one config file. Errors: `distro.toml-syntax` (with the parser's line and column),
 * `distro.unknown-key` (a key no schema knows), `distro.invalid` (a wrong type or value, including an
 * overlay of unknown type) and `distro.invalid-overlay` (an overlay azldev's load-time validation refuses,
 * see check-overlays.ts); all name the file, the dotted `field`, and a best-effort `line`.
 */
export function parseConfigFile(file: string, text: string): ConfigFile {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    if (error instanceof TomlError) {
      const reason = error.message.split('\n')[0] ?? error.message;
      throw PipelineError.permanent(
        'distro.toml-syntax',
        `${file}:${error.line}:${error.column}: invalid TOML: ${reason}`,
        { file, line: error.line, column: error.column },
        error,
      );
    }
    throw error;
  }
  const result = ConfigFileSchema.safeParse(raw);
  if (result.success) {
    checkOverlays(file, text, result.data);
    return result.data;
  }
  throw issueError(file, text, result.error.issues);
}

function issueError(file: string, text: string, issues: readonly z.core.$ZodIssue[]): PipelineError {
  const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0];
  if (issue === undefined) return PipelineError.permanent('distro.invalid', `${file}: invalid`, { file });
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const path = [...issue.path, key];
    const field = dotted(path);
    const context: ErrorContext = { file, field, key };
    const line = locateKeyPath(text, path);
    if (line !== undefined) context.line = line;
    return PipelineError.permanent(
      'distro.unknown-key',
      `${where(file, line)}: unknown key "${key}" in ${dotted(issue.path) || 'the top level'}`,
      context,
    );
  }
  const field = dotted(issue.path);
  const context: ErrorContext = { file, field };
  const line = locateKeyPath(text, issue.path);
  if (line !== undefined) context.line = line;
  return PipelineError.permanent(
    'distro.invalid',
    `${where(file, line)}: ${field}: ${issue.message}`,
    context,
  );
}

const where = (file: string, line: number | undefined): string =>
  line === undefined ? file : `${file}:${line}`;
const dotted = (path: readonly PropertyKey[]): string => path.map(String).join('.');

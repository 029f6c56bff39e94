import { posix } from 'node:path';
import { PipelineError } from '../errors';
import type { DistroFiles } from './files';
import { lineOfText } from './locate';
import { parseConfigFile } from './parse-file';
import type { ConfigFile } from './schema/config-file';

export interface LoadedFile {
  readonly path: string;
  readonly config: ConfigFile;
  /** The file's text, to locate errors found later (duplicates). */
  readonly text: string;
}

/** Where an include came from: the including file, its text and the pattern. */
interface Via {
  readonly file: string;
  readonly text: string;
  readonly pattern: string;
}

/**
 * Reads `root` and everything it includes, depth-first pre-order (the including file, then each pattern's
 * matches in sorted order with their own includes), as azldev does. `includes` are doublestar globs relative
 * to the including file's directory; a pattern with no unescaped `*?[{` is a literal path that must exist
 * (`distro.missing-include`), other patterns may match nothing. A file reached twice — a cycle or a diamond —
 * is `distro.include-cycle`.
 */
export function walkIncludes(files: DistroFiles, root: string): LoadedFile[] {
  const out: LoadedFile[] = [];
  const seen = new Set<string>();
  const visit = (path: string, via: Via | undefined): void => {
    if (seen.has(path)) {
      const line = via && lineOfText(via.text, via.pattern);
      throw PipelineError.permanent(
        'distro.include-cycle',
        `${where(via?.file ?? path, line)}: circular include detected: ${path} is included more than once`,
        { file: via?.file ?? path, field: 'includes', included: path, ...(line && { line }) },
      );
    }
    seen.add(path);
    const text = files.read(path);
    const config = parseConfigFile(path, text);
    out.push({ path, config, text });
    const dir = posix.dirname(path);
    for (const pattern of config.includes ?? []) {
      const from = { file: path, text, pattern };
      for (const next of expand(files, dir, from)) visit(next, from);
    }
  };
  visit(root, undefined);
  return out;
}

function expand(files: DistroFiles, dir: string, via: Via): string[] {
  const { pattern } = via;
  if (!/(^|[^\\])[*?[{]/.test(pattern)) {
    const literal = posix.resolve(dir, pattern.replace(/\\([*?[\]{}])/g, '$1'));
    if (!files.exists(literal)) {
      const line = lineOfText(via.text, pattern);
      throw PipelineError.permanent(
        'distro.missing-include',
        `${where(via.file, line)}: failed to find include file "${pattern}" (${literal})`,
        { file: via.file, field: 'includes', include: pattern, ...(line && { line }) },
      );
    }
    return [literal];
  }
  return files.glob(pattern, dir).sort(walkOrder);
}

const where = (file: string, line: number | undefined): string =>
  line === undefined ? file : `${file}:${line}`;

/** doublestar's directory-walk order: paths compared segment by segment, each by code unit. */
function walkOrder(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    if (x !== y) return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

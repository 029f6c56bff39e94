import { posix } from 'node:path';
import { PipelineError } from '../errors';
import type { DistroFiles } from './files';
import { parseConfigFile } from './parse-file';
import type { ConfigFile } from './schema/config-file';

export interface LoadedFile {
  readonly path: string;
  readonly config: ConfigFile;
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
  const visit = (path: string, from: string | undefined): void => {
    if (seen.has(path)) {
      throw PipelineError.permanent(
        'distro.include-cycle',
        `${from ?? path}: circular include detected: ${path} is included more than once`,
        { file: from ?? path, included: path },
      );
    }
    seen.add(path);
    const config = parseConfigFile(path, files.read(path));
    out.push({ path, config });
    const dir = posix.dirname(path);
    for (const pattern of config.includes ?? []) {
      for (const next of expand(files, pattern, dir, path)) visit(next, path);
    }
  };
  visit(root, undefined);
  return out;
}

function expand(files: DistroFiles, pattern: string, dir: string, from: string): string[] {
  if (!/(^|[^\\])[*?[{]/.test(pattern)) {
    const literal = posix.resolve(dir, pattern.replace(/\\([*?[\]{}])/g, '$1'));
    if (!files.exists(literal)) {
      throw PipelineError.permanent(
        'distro.missing-include',
        `${from}: failed to find include file "${pattern}" (${literal})`,
        { file: from, field: 'includes', include: pattern },
      );
    }
    return [literal];
  }
  return files.glob(pattern, dir).sort();
}

import type { HashType } from './hash-types';
import { normalizeHash, parseHashType } from './hash-types';
import { validateFileName } from './names';
import { sourcesPermanent } from './source-errors';

/** One file named by a dist-git `sources` file: fetched from the lookaside cache and verified. */
export interface LookasideEntry {
  readonly filename: string;
  readonly hashType: HashType;
  readonly hash: string;
}

// `SHA512 (name) = hex`: the name may itself hold spaces or parentheses, so the split is on the last `) = `.
const MODERN = /^([A-Za-z0-9]+) \((.+)\) = ([0-9A-Fa-f]+)$/;
// Old Fedora form: `md5hex  name` (two spaces; one is tolerated).
const LEGACY = /^([0-9A-Fa-f]{32})\s+(\S.*)$/;

/**
 * Parses a dist-git `sources` file. Blank lines are skipped; every other line must be one of the two forms,
 * else `sources.malformed` (naming the line). Every file name is validated (no path separators, no leading
 * `..`), so a hostile `sources` file cannot write outside the sources folder. A name listed twice is an error.
 */
export function parseSourcesFile(text: string, origin = 'sources'): LookasideEntry[] {
  const entries: LookasideEntry[] = [];
  const seen = new Set<string>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    const entry = parseLine(line, origin, index + 1);
    if (seen.has(entry.filename)) {
      throw sourcesPermanent('sources.malformed', `${origin}:${index + 1}: ${entry.filename} listed twice`, {
        file: origin,
        line: index + 1,
      });
    }
    seen.add(entry.filename);
    entries.push(entry);
  });
  return entries;
}

function parseLine(line: string, origin: string, lineNo: number): LookasideEntry {
  const modern = MODERN.exec(line);
  if (modern) {
    const [, type = '', name = '', hash = ''] = modern;
    const filename = validateFileName(name, `${origin}:${lineNo}`);
    const hashType = parseHashType(type, `${origin}:${lineNo} hash type`);
    return { filename, hashType, hash: normalizeHash(hashType, hash, filename) };
  }
  const legacy = LEGACY.exec(line);
  if (legacy) {
    const [, hash = '', name = ''] = legacy;
    const filename = validateFileName(name.trim(), `${origin}:${lineNo}`);
    return { filename, hashType: 'md5', hash: normalizeHash('md5', hash, filename) };
  }
  throw sourcesPermanent(
    'sources.malformed',
    `${origin}:${lineNo}: not a sources line: ${line.slice(0, 120)}`,
    {
      file: origin,
      line: lineNo,
    },
  );
}

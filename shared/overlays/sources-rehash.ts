import { createHash } from 'node:crypto';
import { parseSourcesFile } from '../sources/sources-file';

/** The dist-git lookaside manifest, at the top of the sources folder. */
export const SOURCES_FILE = 'sources';

/**
 * The `sources` file with the line naming `archive` re-hashed over `bytes`, in the same form and hash type
 * as the line had (`SHA512 (name) = hex`, its type token as written; or the old `md5hex  name`), so the
 * build's source verification accepts the repacked archive. Every other line, the line endings and a final
 * newline stay as they are. An archive the file does not name (committed to dist-git rather than fetched from
 * the lookaside cache) leaves the text unchanged. The file is parsed first, so a malformed one fails as it
 * would when the sources are fetched (`sources.malformed`).
 */
export function rehashSourcesLine(text: string, archive: string, bytes: Uint8Array): string {
  const entry = parseSourcesFile(text).find((e) => e.filename === archive);
  if (entry === undefined) return text;
  const hash = createHash(entry.hashType).update(bytes).digest('hex');
  return text
    .split('\n')
    .map((line) => {
      const modern = /^(\s*)([A-Za-z0-9]+) \((.+)\) = [0-9A-Fa-f]+(\s*)$/.exec(line);
      if (modern?.[3] === archive) return `${modern[1]}${modern[2]} (${archive}) = ${hash}${modern[4]}`;
      const legacy = /^(\s*)[0-9A-Fa-f]{32}(\s+)(\S.*?)(\s*)$/.exec(line);
      if (legacy?.[3] === archive) return `${legacy[1]}${hash}${legacy[2]}${archive}${legacy[4]}`;
      return line;
    })
    .join('\n');
}

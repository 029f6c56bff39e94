/**
 * Best-effort line of a key path in TOML text, for errors found after parsing (the TOML parser gives no
 * positions for values). Walks the path's names in order, each searched from the line where the previous one
 * was found, matching it as a bare or quoted key (`a.b =`, `[a.b]`, `{ b = …`). Array indices are skipped.
 * Returns 1-based line or undefined when a name cannot be found.
 */
export function locateKeyPath(text: string, path: readonly PropertyKey[]): number | undefined {
  const lines = text.split('\n');
  let at = 0;
  let found: number | undefined;
  for (const segment of path) {
    if (typeof segment !== 'string') continue;
    const key = new RegExp(
      `(^|[\\s.\\[{,])(${escape(segment)}|'${escape(segment)}'|"${escape(segment)}")\\s*[=\\].]`,
    );
    let hit = -1;
    for (let index = at; index < lines.length; index++) {
      const line = lines[index] ?? '';
      if (!line.trimStart().startsWith('#') && key.test(line)) {
        hit = index;
        break;
      }
    }
    if (hit < 0) return found;
    at = hit;
    found = hit + 1;
  }
  return found;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** 1-based line of the first quoted occurrence of `value` (`"value"` or `'value'`), or undefined. */
export function lineOfText(text: string, value: string): number | undefined {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.includes(`"${value}"`) || line.includes(`'${value}'`));
  return index < 0 ? undefined : index + 1;
}

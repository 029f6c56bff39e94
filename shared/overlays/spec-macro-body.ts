/**
 * Where a `%define`/`%global` body ends, as azldev's spec tree decides it (DEV `internal/rpm/spec/tree.go`,
 * `macroBodyStateAfter` and `macroStateAfter`): a body goes on past a line that ends in `\`, and past any
 * line that leaves a `%{…}` expansion open, as `%{expand:` and `%{lua:` bodies do. The lines of a body are
 * never section headers or conditionals, so an `%if` inside an `%{expand:}` body does not pair with anything.
 *
 * The scan is lexical, like RPM's: `%%{` is an escaped brace (not an expansion) whose braces still nest,
 * `${…}` is shell, and inside `%{lua:` the Lua strings, long brackets and comments are skipped before a `}`
 * is taken as the end of the expansion.
 */
interface LuaState {
  readonly braces: number;
  readonly nestedRpm: number;
  /** The quote character of the open Lua string, or "". */
  readonly quote: string;
  readonly escaped: boolean;
  /** The `]=*]` that closes the open Lua long bracket, or "". */
  readonly longClose: string;
}

export interface MacroBodyState {
  readonly depth: number;
  readonly escapedBraces: number;
  readonly shellBraces: number;
  readonly rawBraces: number;
  readonly lua: LuaState | undefined;
}

export const MACRO_BODY_START: MacroBodyState = {
  depth: 0,
  escapedBraces: 0,
  shellBraces: 0,
  rawBraces: 0,
  lua: undefined,
};

const isOpen = (s: MacroBodyState): boolean => s.depth > 0 || s.escapedBraces > 0 || s.lua !== undefined;

/** The `=` run of a Lua long-bracket opener (`[[`, `[==[`) at the start of `text`, or undefined. */
function luaLongDelimiter(text: string): string | undefined {
  if (!text.startsWith('[')) return undefined;
  let i = 1;
  while (text[i] === '=') i++;
  return text[i] === '[' ? text.slice(1, i) : undefined;
}

/** Scans Lua text; returns how much was consumed, whether the `%{lua:` expansion closed, and the new state. */
function consumeLua(text: string, start: LuaState): { consumed: number; closed: boolean; lua: LuaState } {
  let { braces, nestedRpm, quote, escaped, longClose } = start;
  const state = (): LuaState => ({ braces, nestedRpm, quote, escaped, longClose });
  let i = 0;
  while (i < text.length) {
    if (longClose !== '') {
      if (text.startsWith(longClose, i)) {
        i += longClose.length;
        longClose = '';
      } else i++;
      continue;
    }
    const c = text[i];
    if (quote !== '') {
      if (escaped) escaped = false;
      else if (c === '\\') escaped = true;
      else if (c === quote) quote = '';
      i++;
      continue;
    }
    const long = luaLongDelimiter(text.slice(i));
    if (long !== undefined) {
      longClose = `]${long}]`;
      i += long.length + 2;
      continue;
    }
    if (text.startsWith('--', i)) {
      const comment = luaLongDelimiter(text.slice(i + 2));
      if (comment === undefined) return { consumed: text.length, closed: false, lua: state() };
      longClose = `]${comment}]`;
      i += comment.length + 4;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '%' && text[i + 1] === '{') {
      nestedRpm++;
      i++;
    } else if (c === '}') {
      if (nestedRpm > 0) nestedRpm--;
      else if (braces > 0) braces--;
      else return { consumed: i + 1, closed: true, lua: state() };
    } else if (c === '{') braces++;
    i++;
  }
  return { consumed: text.length, closed: false, lua: state() };
}

/** The state after one physical line of a macro body (DEV `macroStateAfter`). */
function stateAfter(line: string, start: MacroBodyState): MacroBodyState {
  let { depth, escapedBraces, shellBraces, rawBraces, lua } = start;
  let i = 0;
  while (i < line.length) {
    if (lua !== undefined) {
      const scanned = consumeLua(line.slice(i), lua);
      i += scanned.consumed;
      lua = scanned.lua;
      if (scanned.closed) {
        lua = undefined;
        depth--;
      }
      continue;
    }
    const c = line[i];
    if (escapedBraces > 0) {
      if (c === '{') escapedBraces++;
      else if (c === '}') escapedBraces--;
      i++;
      continue;
    }
    if (c === '%' && (i === 0 || line[i - 1] !== '%')) {
      let runEnd = i;
      while (line[runEnd] === '%') runEnd++;
      if (line[runEnd] !== '{') i = runEnd;
      else if ((runEnd - i) % 2 === 0) {
        escapedBraces++; // `%%{`: escaped, but its braces still nest
        i = runEnd + 1;
      } else {
        depth++;
        if (line.startsWith('%{lua:', runEnd - 1)) {
          lua = { braces: 0, nestedRpm: 0, quote: '', escaped: false, longClose: '' };
          i = runEnd - 1 + '%{lua:'.length;
        } else i = runEnd + 1;
      }
    } else if (c === '$' && line[i + 1] === '{') {
      shellBraces++;
      i += 2;
    } else if (c === '}' && shellBraces > 0) {
      shellBraces--;
      i++;
    } else if (c === '{' && depth > 0) {
      rawBraces++;
      i++;
    } else if (c === '}' && rawBraces > 0) {
      rawBraces--;
      i++;
    } else if (c === '}' && depth > 0) {
      depth--;
      i++;
    } else i++;
  }
  // A Lua escape does not carry over a physical line end.
  if (lua !== undefined) lua = { ...lua, escaped: false };
  return { depth, escapedBraces, shellBraces, rawBraces, lua };
}

/** The state after one line of a macro body, and whether the body continues on the next line. */
export function macroBodyStateAfter(line: string, state: MacroBodyState): [MacroBodyState, boolean] {
  const next = stateAfter(line, state);
  return [next, line.endsWith('\\') || isOpen(next)];
}

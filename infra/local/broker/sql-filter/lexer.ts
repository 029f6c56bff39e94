/**
 * Tokens of the Service Bus SQL filter and rule action language (a subset of SQL-92; see
 * learn.microsoft.com/azure/service-bus-messaging/service-bus-messaging-sql-filter). Keywords are
 * case-insensitive; identifiers are regular (`color`), delimited (`[HR-EmployeeID]`) or quoted (`"a b"`).
 */
export type TokenKind = 'identifier' | 'keyword' | 'string' | 'integer' | 'decimal' | 'symbol' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Keywords upper-cased; identifiers and strings unescaped; symbols as written (`<=`). */
  readonly text: string;
  /** 1-based column of the token's first character, as Azure reports positions. */
  readonly column: number;
}

const KEYWORDS = new Set([
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ESCAPE',
  'IS',
  'NULL',
  'EXISTS',
  'TRUE',
  'FALSE',
  'SET',
  'REMOVE',
]);

const SYMBOLS = ['<>', '!=', '<=', '>=', '=', '<', '>', '+', '-', '*', '/', '%', '(', ')', ',', '.', ';'];

/** A filter or action the language does not allow, with the column where reading it stopped. */
export class SqlSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly column: number,
  ) {
    super(`${detail} (line 1, column ${column})`);
  }
}

const isLetter = (c: string): boolean => /\p{L}/u.test(c);
const isDigit = (c: string): boolean => c >= '0' && c <= '9';

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    const column = i + 1;
    if (/\s/.test(c)) {
      i += 1;
    } else if (isLetter(c)) {
      let end = i + 1;
      while (end < source.length && (isLetter(source[end]!) || isDigit(source[end]!) || source[end] === '_'))
        end += 1;
      const word = source.slice(i, end);
      const upper = word.toUpperCase();
      tokens.push(
        KEYWORDS.has(upper)
          ? { kind: 'keyword', text: upper, column }
          : { kind: 'identifier', text: word, column },
      );
      i = end;
    } else if (isDigit(c)) {
      const match = /^\d+(\.\d*)?([eE][+-]?\d+)?/.exec(source.slice(i))!;
      const isInteger = match[1] === undefined && match[2] === undefined;
      tokens.push({ kind: isInteger ? 'integer' : 'decimal', text: match[0], column });
      i += match[0].length;
    } else if (c === "'" || c === '"' || c === '[') {
      const close = c === '[' ? ']' : c;
      const { text, next } = readEnclosed(source, i, close);
      tokens.push({ kind: c === "'" ? 'string' : 'identifier', text, column });
      i = next;
    } else {
      const symbol = SYMBOLS.find((s) => source.startsWith(s, i));
      if (!symbol) throw new SqlSyntaxError(`Unrecognized character '${c}'`, column);
      tokens.push({ kind: 'symbol', text: symbol, column });
      i += symbol.length;
    }
  }
  tokens.push({ kind: 'end', text: '', column: source.length + 1 });
  return tokens;
}

/** Reads `'it''s'`, `"a ""b"""` or `[a]]b]`: the closing character doubled stands for itself. */
function readEnclosed(source: string, start: number, close: string): { text: string; next: number } {
  let text = '';
  let i = start + 1;
  for (;;) {
    if (i >= source.length) throw new SqlSyntaxError(`Unterminated ${source[start]}`, start + 1);
    const c = source[i]!;
    if (c === close) {
      if (source[i + 1] === close) {
        text += close;
        i += 2;
        continue;
      }
      return { text, next: i + 1 };
    }
    text += c;
    i += 1;
  }
}

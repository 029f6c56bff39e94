import { SPDX_EXCEPTION_IDS, SPDX_LICENSE_IDS } from './spdx-license-list';

/**
 * Whether an RPM License tag is an SPDX license expression (SPDX 2.3 Annex D), and its canonical spelling.
 * Fedora writes SPDX expressions since 2023 (`MIT AND (Apache-2.0 OR BSD-3-Clause)`,
 * `LicenseRef-Fedora-Public-Domain`), older packages the Callaway names (`GPLv2+ and BSD`), which are not.
 *
 * The grammar: a simple expression is a license id from the SPDX License List, optionally followed by `+`,
 * or `LicenseRef-<idstring>`; `WITH` binds an exception id to a simple expression;
 * `AND` and `OR` join expressions, parentheses group them. Operators must be upper case (Annex D: matched
 * case-sensitively), so the Callaway `and` is refused. License and exception ids match case-insensitively
 * (Annex D) and come out in the list's spelling (`mit` becomes `MIT`); whitespace is normalised to one space
 * and none inside parentheses. The structure is kept as written: no reordering, no parentheses added.
 *
 * Annex D also allows `DocumentRef-<idstring>:LicenseRef-<idstring>`, a license defined in another SPDX
 * document; an SBOM using one would have to reference that document, which no RPM header names, so such a
 * tag is refused here (and becomes NOASSERTION).
 */
export function canonicalSpdxExpression(text: string): string | undefined {
  const tokens = tokenize(text);
  if (tokens.length === 0) return undefined;
  const parser = new ExpressionParser(tokens);
  const out = parser.expression();
  if (out === undefined || !parser.atEnd()) return undefined;
  return out.join(' ').replaceAll('( ', '(').replaceAll(' )', ')');
}

/**
 * The `LicenseRef-` ids a canonical expression uses, each once, sorted: an SBOM must define each of them
 * (`hasExtractedLicensingInfos`).
 */
export function licenseRefsOf(expression: string): string[] {
  const refs = tokenize(expression).filter((token) => LICENSE_REF.test(token));
  return [...new Set(refs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const byLowerCase = (ids: readonly string[]) => new Map(ids.map((id) => [id.toLowerCase(), id]));
const LICENSES = byLowerCase(SPDX_LICENSE_IDS);
const EXCEPTIONS = byLowerCase(SPDX_EXCEPTION_IDS);
const IDSTRING = '[A-Za-z0-9.-]+';
const LICENSE_REF = new RegExp(`^LicenseRef-${IDSTRING}$`);
const OPERATORS = new Set(['AND', 'OR', 'WITH']);

function tokenize(text: string): string[] {
  return text
    .replace(/[()]/g, ' $& ')
    .split(/\s+/)
    .filter((token) => token !== '');
}

/** Recursive descent, precedence WITH over AND over OR; each method returns the canonical tokens it read. */
class ExpressionParser {
  private position = 0;

  constructor(private readonly tokens: readonly string[]) {}

  atEnd(): boolean {
    return this.position === this.tokens.length;
  }

  expression(): string[] | undefined {
    return this.joined('OR', () => this.joined('AND', () => this.withException()));
  }

  private joined(operator: string, operand: () => string[] | undefined): string[] | undefined {
    const first = operand();
    if (!first) return undefined;
    const out = [...first];
    while (this.peek() === operator) {
      this.position += 1;
      const next = operand();
      if (!next) return undefined;
      out.push(operator, ...next);
    }
    return out;
  }

  private withException(): string[] | undefined {
    const atom = this.atom();
    if (!atom || this.peek() !== 'WITH') return atom;
    this.position += 1;
    const exception = EXCEPTIONS.get(this.next()?.toLowerCase() ?? '');
    return exception === undefined ? undefined : [...atom, 'WITH', exception];
  }

  private atom(): string[] | undefined {
    const token = this.next();
    if (token === undefined || token === ')' || OPERATORS.has(token)) return undefined;
    if (token === '(') {
      const inner = this.expression();
      if (!inner || this.next() !== ')') return undefined;
      return ['(', ...inner, ')'];
    }
    return simpleExpression(token);
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private next(): string | undefined {
    const token = this.tokens[this.position];
    if (token !== undefined) this.position += 1;
    return token;
  }
}

function simpleExpression(token: string): string[] | undefined {
  if (LICENSE_REF.test(token)) return [token];
  // `+` (or later) belongs to the expression, not the id: the deprecated `GPL-2.0+` is `GPL-2.0` and `+`.
  const orLater = token.endsWith('+');
  const id = LICENSES.get((orLater ? token.slice(0, -1) : token).toLowerCase());
  if (id === undefined) return undefined;
  return [orLater ? `${id}+` : id];
}

import type { Token } from './lexer';
import { SqlSyntaxError, tokenize } from './lexer';
import type { Action, Comparison, Expression, PropertyRef } from './syntax';
import { isPredicate, SYSTEM_PROPERTIES } from './syntax';

/**
 * Parses a SQL filter expression (`color = 'red' AND sys.Label LIKE 'order%'`). Throws `SqlSyntaxError`,
 * naming the column, for anything the language does not allow, including a filter that is not a condition.
 */
export function parseFilter(source: string): Expression {
  const parser = new Parser(tokenize(source));
  const expression = parser.expression();
  parser.expectEnd();
  const isBoolean = expression.kind === 'constant' && typeof expression.value === 'boolean';
  if (!isPredicate(expression) && !isBoolean) throw new SqlSyntaxError('The filter is not a condition', 1);
  return expression;
}

/** Parses a SQL rule action: `SET a = 1; REMOVE b` (the semicolons are optional). */
export function parseAction(source: string): Action[] {
  const parser = new Parser(tokenize(source));
  const actions = parser.actions();
  parser.expectEnd();
  return actions;
}

const COMPARISONS = new Set(['=', '<>', '!=', '<', '<=', '>', '>=']);

/** Recursive descent, lowest precedence first: OR, AND, NOT, conditions, + -, * / %, unary, primaries. */
class Parser {
  private position = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  expression(): Expression {
    let left = this.conjunction();
    while (this.takeKeyword('OR')) left = { kind: 'or', left, right: this.conjunction() };
    return left;
  }

  actions(): Action[] {
    const actions: Action[] = [];
    while (this.peek().kind !== 'end') {
      if (this.takeKeyword('SET')) {
        const property = this.property();
        this.expectSymbol('=');
        actions.push({ kind: 'set', property, value: this.additive() });
      } else if (this.takeKeyword('REMOVE')) {
        actions.push({ kind: 'remove', property: this.property() });
      } else {
        throw this.unexpected('Expected SET or REMOVE');
      }
      this.takeSymbol(';');
    }
    if (actions.length === 0) throw this.unexpected('Expected SET or REMOVE');
    return actions;
  }

  expectEnd(): void {
    if (this.peek().kind !== 'end') throw this.unexpected('Unexpected token');
  }

  private conjunction(): Expression {
    let left = this.negation();
    while (this.takeKeyword('AND')) left = { kind: 'and', left, right: this.negation() };
    return left;
  }

  private negation(): Expression {
    if (this.takeKeyword('NOT')) return { kind: 'not', operand: this.negation() };
    return this.condition();
  }

  private condition(): Expression {
    if (this.takeKeyword('EXISTS')) {
      this.expectSymbol('(');
      const property = this.property();
      this.expectSymbol(')');
      return { kind: 'exists', property };
    }
    const start = this.peek();
    const left = this.additive();
    const next = this.peek();
    if (next.kind === 'symbol' && COMPARISONS.has(next.text)) {
      this.position += 1;
      return { kind: 'compare', op: next.text as Comparison, left, right: this.additive() };
    }
    if (this.takeKeyword('IS')) {
      const negated = this.takeKeyword('NOT');
      this.expectKeyword('NULL');
      if (left.kind !== 'property') throw new SqlSyntaxError('IS NULL applies to a property', start.column);
      return { kind: 'isNull', property: left.property, negated };
    }
    const negated = this.takeKeyword('NOT');
    if (this.takeKeyword('IN')) {
      this.expectSymbol('(');
      const list = [this.additive()];
      while (this.takeSymbol(',')) list.push(this.additive());
      this.expectSymbol(')');
      return { kind: 'in', operand: left, list, negated };
    }
    if (this.takeKeyword('LIKE')) {
      const pattern = this.additive();
      const escape = this.takeKeyword('ESCAPE') ? this.additive() : undefined;
      return { kind: 'like', operand: left, pattern, escape, negated };
    }
    if (negated) throw this.unexpected('Expected IN or LIKE after NOT');
    return left;
  }

  private additive(): Expression {
    let left = this.multiplicative();
    for (;;) {
      const op = this.takeSymbol('+') ? '+' : this.takeSymbol('-') ? '-' : undefined;
      if (!op) return left;
      left = { kind: 'arithmetic', op, left, right: this.multiplicative() };
    }
  }

  private multiplicative(): Expression {
    let left = this.unary();
    for (;;) {
      const op = this.takeSymbol('*')
        ? '*'
        : this.takeSymbol('/')
          ? '/'
          : this.takeSymbol('%')
            ? '%'
            : undefined;
      if (!op) return left;
      left = { kind: 'arithmetic', op, left, right: this.unary() };
    }
  }

  private unary(): Expression {
    if (this.takeSymbol('-')) return { kind: 'negate', operand: this.unary() };
    if (this.takeSymbol('+')) return this.unary();
    return this.primary();
  }

  private primary(): Expression {
    const token = this.peek();
    if (token.kind === 'string') return this.constant(token.text);
    if (token.kind === 'integer' || token.kind === 'decimal') {
      const value = Number(token.text);
      if (token.kind === 'integer' && !Number.isSafeInteger(value))
        throw new SqlSyntaxError(`Integer constant out of range '${token.text}'`, token.column);
      return this.constant(value);
    }
    if (token.kind === 'keyword') {
      if (token.text === 'TRUE') return this.constant(true);
      if (token.text === 'FALSE') return this.constant(false);
      if (token.text === 'NULL') return this.constant(null);
    }
    if (this.takeSymbol('(')) {
      const inner = this.expression();
      this.expectSymbol(')');
      return inner;
    }
    if (token.kind === 'identifier' && this.tokens[this.position + 1]?.text === '(') {
      return this.call(token);
    }
    if (token.kind === 'identifier') return { kind: 'property', property: this.property() };
    throw this.unexpected('Expected a constant, property or condition');
  }

  private call(name: Token): Expression {
    const fn = name.text.toLowerCase();
    this.position += 2; // the name and '('
    if (fn === 'newid') {
      this.expectSymbol(')');
      return { kind: 'newid' };
    }
    if (fn === 'property' || fn === 'p') {
      const argument = this.additive();
      this.expectSymbol(')');
      return { kind: 'propertyOf', name: argument };
    }
    throw new SqlSyntaxError(`Unknown function '${name.text}'`, name.column);
  }

  private constant(value: string | number | boolean | null): Expression {
    this.position += 1;
    return { kind: 'constant', value };
  }

  /** `name`, `user.name` or `sys.Name` (a system property the message class has). */
  private property(): PropertyRef {
    const first = this.expectIdentifier();
    const scope = first.text.toLowerCase();
    if ((scope === 'sys' || scope === 'user') && this.takeSymbol('.')) {
      const name = this.expectIdentifier();
      if (scope === 'sys' && !SYSTEM_PROPERTIES.has(name.text.toLowerCase()))
        throw new SqlSyntaxError(`Unknown system property 'sys.${name.text}'`, name.column);
      return { scope, name: name.text };
    }
    return { scope: 'user', name: first.text };
  }

  private peek(): Token {
    return this.tokens[this.position]!;
  }

  private takeKeyword(word: string): boolean {
    const token = this.peek();
    if (token.kind !== 'keyword' || token.text !== word) return false;
    this.position += 1;
    return true;
  }

  private takeSymbol(symbol: string): boolean {
    const token = this.peek();
    if (token.kind !== 'symbol' || token.text !== symbol) return false;
    this.position += 1;
    return true;
  }

  private expectKeyword(word: string): void {
    if (!this.takeKeyword(word)) throw this.unexpected(`Expected ${word}`);
  }

  private expectSymbol(symbol: string): void {
    if (!this.takeSymbol(symbol)) throw this.unexpected(`Expected '${symbol}'`);
  }

  private expectIdentifier(): Token {
    const token = this.peek();
    if (token.kind !== 'identifier') throw this.unexpected('Expected a property name');
    this.position += 1;
    return token;
  }

  private unexpected(what: string): SqlSyntaxError {
    const token = this.peek();
    const found = token.kind === 'end' ? 'end of expression' : `'${token.text}'`;
    return new SqlSyntaxError(`${what}, found ${found}`, token.column);
  }
}
